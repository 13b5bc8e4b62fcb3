// The test-only fault plan: parsing /_faults entries, and which storage POST takes which fault.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "emulator/faults.hpp"

using namespace s3file::server;
using nlohmann::json;

namespace {
Fault parsed(const json& entry, int& count) {
    Fault fault;
    std::string error;
    INFO(entry.dump());
    REQUIRE(parse_fault(entry, fault, count, error));
    return fault;
}

Fault named(const std::string& filename, int status = 403) {
    Fault fault;
    fault.status = status;
    fault.filename = filename;
    return fault;
}
}  // namespace

TEST_CASE("faults: a 403 AccessDenied for one file name parses, with its count") {
    int count = 0;
    const Fault fault = parsed({{"kind", "status"}, {"status", 403}, {"filename", "c.txt"}, {"count", 3}}, count);
    CHECK(fault.kind == Fault::Kind::Status);
    CHECK(fault.status == 403);
    CHECK(fault.filename == "c.txt");
    CHECK(count == 3);
    CHECK(parsed({{"kind", "reset"}, {"after_bytes", 7}}, count).filename.empty());
}

TEST_CASE("faults: statuses S3 does not send this way, and empty or non-text names, are refused") {
    const json bad[] = {{{"kind", "status"}, {"status", 404}},
                        {{"kind", "status"}, {"status", 403}, {"filename", ""}},
                        {{"kind", "stall"}, {"filename", 12}},
                        // Wrong types and out-of-range numbers (fuzzing: {"kind": 2} was a 500).
                        {{"kind", 2}},
                        {{"kind", "status"}, {"status", "503"}},
                        {{"kind", "status"}, {"count", 1e30}},
                        {{"kind", "status"}, {"count", 1001}},
                        {{"kind", "reset"}, {"after_bytes", -1}},
                        {{"kind", "stall"}, {"seconds", 121}},
                        {{"kind", "stall"}, {"seconds", "1"}},
                        {{"kind", "status"}, {"retry_after", json::array()}}};
    for (const auto& entry : bad) {
        Fault fault;
        int count = 1;
        std::string error;
        INFO(entry.dump());
        CHECK_FALSE(parse_fault(entry, fault, count, error));
        CHECK_FALSE(error.empty());
        CHECK(error.find("json.exception") == std::string::npos);  // a reason, never a library's text
    }
}

TEST_CASE("faults: a named fault waits for its file, unnamed ones keep their order") {
    FaultPlan plan;
    plan.push(named("c.txt"), 2);
    Fault first;
    first.status = 500;
    plan.push(first, 1);
    Fault second;
    second.status = 503;
    plan.push(second, 1);

    // Every POST counts; it takes the next unnamed fault, never the named one ahead of it.
    CHECK(plan.take()->status == 500);
    CHECK(plan.take()->status == 503);
    CHECK_FALSE(plan.take().has_value());
    CHECK(plan.posts() == 3);

    CHECK_FALSE(plan.take_for_file("a.txt").has_value());
    CHECK_FALSE(plan.take_for_file("").has_value());
    CHECK(plan.take_for_file("c.txt")->status == 403);
    CHECK(plan.pending() == 1);  // count 2: the next upload of c.txt fails too
    CHECK(plan.take_for_file("c.txt")->filename == "c.txt");
    CHECK_FALSE(plan.take_for_file("c.txt").has_value());
    CHECK(plan.posts() == 3);  // matching a name is part of a POST already counted
}

TEST_CASE("faults: describe lists the file name, clear drops everything") {
    FaultPlan plan;
    plan.push(named("c.txt"), 1);
    CHECK(plan.describe()["pending"][0]["filename"] == "c.txt");
    plan.clear();
    CHECK(plan.pending() == 0);
}

TEST_CASE("faults: clear ends a stall in progress, so a test never leaves one behind") {
    FaultPlan plan;
    std::atomic<bool> finished{false};
    bool slept_fully = true;
    std::thread stalled([&] {
        slept_fully = plan.sleep(120);
        finished = true;
    });
    // The sleeper may not be waiting yet when a clear runs: clear until it has woken (if clear
    // did not wake it, it would sleep the full 120 s and report so).
    while (!finished) {
        plan.clear();
        std::this_thread::yield();
    }
    stalled.join();
    CHECK_FALSE(slept_fully);
}
