// Fuzz target: the app port (src/server/app/app.*) end to end, each input being the raw bytes of
// one client connection through cpp-httplib's own request parser: the JSON entry points
// POST /api/policy, POST /_faults and POST /submit, and whatever else a request reaches
// (/form, static files). The store holds kPlantedKey; web files sit beside the store's traps.
// Invariants: no 500 (no fault touches the app port); every JSON answer parses; every policy
// /api/policy issues is accepted by the emulator's verifier exactly when its type is allowed,
// and its folder signature lets /submit accept a key in it; every key /submit accepts is inside
// a folder below the upload prefix; the app writes nothing and opens no trap file.
#include "app/app.hpp"
#include "filenames.hpp"
#include "harness.hpp"
#include "emulator/post_verifier.hpp"

using namespace s3file::server;
using namespace s3file::fuzz;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

struct AppPort {
    Sandbox sandbox;
    ObjectStore store{sandbox.root()};
    FaultPlan faults;
    ServerConfig config;
    IssuerConfig issuer;
    std::unique_ptr<App> app;
    FuzzServer server;

    AppPort() {
        plant_object(store, kPlantedKey, "planted object\n");
        const fs::path web = sandbox.top() / "a" / "b" / "web";
        sandbox.add_file(web / "demo" / "index.html", "<!doctype html><title>demo</title>\n", false);
        sandbox.add_file(web / "s3file.js", "export {};\n", false);
        config.bind = "127.0.0.1";  // loopback: /_faults is served
        config.bucket = kBucket;
        config.region = kRegion;
        config.upload_prefix = kUploadPrefix;
        config.accept = {"image/*", "application/pdf"};  // two rules: every branch of the type pinning
        config.web_root = web.string();
        config.secret = kFormSecret;
        issuer = {kBucket, kRegion, {kAccessKey, kSecretKey, ""}, kUploadPrefix, 1 << 30, config.accept, 3600, kFormSecret};
        app = std::make_unique<App>(config, issuer, &store, faults, 9001);
        app->install(server);
    }
};

// An issued policy, filled in as the widget does (Content-Type added when the policy leaves it
// open), must pass the emulator's checks exactly when the requested type is allowed.
void check_issued(const AppPort& port, const json& request, const ordered_json& issued) {
    const std::string type = request.contains("type") && request["type"].is_string() ? request["type"].get<std::string>() : "";
    FormFields fields;
    for (const auto& [name, value] : issued["fields"].items()) fields.emplace_back(name, value.get<std::string>());
    if (form_value(fields, "Content-Type") == nullptr) fields.emplace_back("Content-Type", type);
    for (auto& [name, value] : fields)
        if (name == "key") value = s3file::substitute_filename(value, "photo.jpg");
    PolicyDocument policy;
    const S3Failure failure =
        verify_post_form({kBucket, kRegion, port.issuer.credentials}, fields, std::time(nullptr), policy);
    const bool allowed = type.empty() || type_accepted(port.issuer.accept, type);
    expect(!failure == allowed, "an issued policy is not verified as its type says", failure.message + " " + type);
    const std::string key = issued["key_prefix"].get<std::string>() + "photo.jpg";
    expect(*form_value(fields, "key") == key, "the key field is not key_prefix + ${filename}", key);
    expect(verify_key(key, {issued["signature"].get<std::string>()}, kUploadPrefix, kFormSecret).ok,
           "the issued folder signature does not verify", key);
    expect_in_upload_folder(key, kUploadPrefix);
}

void check_exchange(const AppPort& port, const Exchange& exchange) {
    expect(exchange.status != 500, "500 on the app port",
           exchange.method + " " + exchange.path + ": " + exchange.exception + "\n" + exchange.body);
    // cpp-httplib 0.11.4 applies a Range header to every answer, a POST's 400 included
    // (RFC 9110 §14.2 defines ranges for GET only): such a body is a slice, not JSON.
    if (exchange.content_type != "application/json" || exchange.ranged) return;
    const ordered_json answer = ordered_json::parse(exchange.body, nullptr, false);
    expect(!answer.is_discarded(), "a JSON answer does not parse", exchange.body);
    if (exchange.path == "/api/policy" && exchange.status == 200) {
        const json request = json::parse(exchange.request_body);
        if (request.contains("files")) {
            for (std::size_t i = 0; i < request["files"].size(); ++i)
                check_issued(port, request["files"][i], answer.at("files").at(i));
        } else {
            check_issued(port, request, answer);
        }
    }
    if (exchange.path == "/submit" && exchange.status == 201)
        for (const auto& [field, list] : answer.at("files").items())
            for (const auto& entry : list)
                if (!entry["key"].is_null()) expect_in_upload_folder(entry["key"].get<std::string>(), kUploadPrefix);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static AppPort port;
    const std::string input = as_string(data, size);
    port.server.serve(input);
    for (const auto& exchange : port.server.exchanges()) check_exchange(port, exchange);
    port.sandbox.check();
    port.faults.clear();  // faults scheduled through /_faults would pile up across inputs
    return 0;
}
