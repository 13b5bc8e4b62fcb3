// Fuzz target: the S3 emulator end to end (src/server/emulator/s3_emulator.*), each input being the raw
// bytes of one client connection (requests may be pipelined), parsed by cpp-httplib's own
// request parser. The store lives in a Sandbox, emptied after every input.
// An optional first line "#faults <json>" schedules faults as POST /_faults would (parse_fault);
// stalls and delays are cut to 0 s, since a fuzzer must never sleep.
// Invariants: nothing is written outside <store>/<bucket> (and its metadata), no temporary file
// is left, no trap file outside the bucket is changed or even opened, and no answer is a 500
// unless a status-500 fault was scheduled.
#include "harness.hpp"
#include "emulator/s3_emulator.hpp"

using namespace s3file::server;
using namespace s3file::fuzz;

namespace {

struct Emulator {
    Sandbox sandbox;
    ObjectStore store{sandbox.root()};
    MultipartStore uploads{store, kDefaultMultipartExpirySeconds, std::time(nullptr)};
    FaultPlan faults;
    S3Emulator emulator{BucketConfig{kBucket, kRegion, {kAccessKey, kSecretKey, ""}}, store, uploads, faults};
    FuzzServer server;
    Emulator() { emulator.install(server); }
};

// Schedules the faults of a leading "#faults " line; returns whether a 500 was asked for.
bool schedule_faults(std::string& input, FaultPlan& faults) {
    faults.clear();
    if (input.rfind("#faults ", 0) != 0) return false;
    const std::size_t end = std::min(input.find('\n'), input.size());
    const nlohmann::json body = nlohmann::json::parse(input.substr(8, end - 8), nullptr, false);
    input.erase(0, end + 1);
    bool asks_500 = false;
    for (const auto& entry : body.is_array() ? body : nlohmann::json::array({body})) {
        Fault fault;
        int count = 1;
        std::string error;
        // parse_fault throws on {"kind": <not a string>}: that bug is the app port's (a 500
        // from POST /_faults, corpus/app_json/crash-faults-kind-not-string); here the fault
        // line is only the harness's way to schedule faults, so it is read as no fault.
        try {
            if (!parse_fault(entry, fault, count, error)) continue;
        } catch (const nlohmann::json::exception&) {
            continue;
        }
        fault.seconds = 0;
        asks_500 = asks_500 || (fault.kind == Fault::Kind::Status && fault.status == 500);
        faults.push(fault, count);
    }
    return asks_500;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Emulator s3;
    std::string input = as_string(data, size);
    const bool deliberate_500 = schedule_faults(input, s3.faults);
    s3.server.serve(input);
    for (const auto& exchange : s3.server.exchanges())
        expect(exchange.status != 500 || deliberate_500, "500 without a scheduled fault",
               exchange.method + " " + exchange.path + ": " + exchange.exception + "\n" + exchange.body);
    s3.sandbox.check();
    s3.sandbox.reset();
    return 0;
}
