// Writes the seeds that need a signature (corpus/s3_emulator, corpus/app_json): raw HTTP
// requests signed with the fuzz identity in harness.hpp, upload bodies encoded as a browser
// encodes the widget's form (tests/core/form_encoding.hpp). Usage: fuzz_make_seeds tests/fuzz/corpus
// The other seeds are plain files written by hand.
#include <cstdio>
#include <fstream>

#include "core/form_encoding.hpp"
#include "signing/django_signer.hpp"
#include "filenames.hpp"
#include "harness.hpp"
#include "app/policy_issuer.hpp"

using namespace s3file;
using namespace s3file::server;
using namespace s3file::fuzz;
using nlohmann::json;

namespace {

const std::string kBoundary = "----s3fileFuzzSeedBoundary0123456789";
const std::string kFolder = kPlantedKey.substr(0, kPlantedKey.rfind('/'));

fs::path out_dir;

void write(const std::string& target, const std::string& name, const std::string& bytes) {
    fs::create_directories(out_dir / target);
    std::ofstream(out_dir / target / name, std::ios::binary) << bytes;
}

std::string request(const std::string& method, const std::string& target, const std::string& content_type,
                    const std::string& body, const std::string& extra_headers = "") {
    std::string head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:9001\r\n" + extra_headers;
    if (!content_type.empty()) head += "Content-Type: " + content_type + "\r\n";
    if (!body.empty() || method == "POST") head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    return head + "\r\n" + body;
}

std::time_t at(const char* iso) {
    std::time_t t = 0;
    parse_iso8601(iso, t);
    return t;
}

IssuerConfig issuer(std::uint64_t max_size = 1 << 20, std::int64_t expires = 100ll * 365 * 24 * 3600) {
    return {kBucket, kRegion, {kAccessKey, kSecretKey, ""}, kUploadPrefix, max_size, {}, expires, kFormSecret};
}

IssuedPolicy issued(const IssuerConfig& config = issuer(), std::time_t now = at("2026-01-01T00:00:00Z")) {
    return issue_policy_in_folder(config, "http://127.0.0.1:9001/s3file", {"", 0, "", "file"}, kFolder, now);
}

// The widget's fields for one file: key with the name filled in, 201, the file's type.
FormFields widget_fields(const IssuedPolicy& policy, const std::string& name, const std::string& type) {
    FormFields fields;
    for (const auto& [field, value] : policy.fields)
        fields.emplace_back(field, field == "key" ? substitute_filename(value, name) : value);
    fields.emplace_back("Content-Type", type);
    return fields;
}

std::string upload_body(const FormFields& fields, const std::string& name, const std::string& type,
                        const std::string& content) {
    BodyPlan plan;
    plan.fields = fields;
    plan.file_field = "file";
    plan.file.name = name;
    plan.file.type = type;
    plan.file.size = content.size();
    return s3file::testing::form_head(plan, kBoundary) + content + s3file::testing::form_tail(kBoundary);
}

std::string upload(const FormFields& fields, const std::string& name, const std::string& type,
                   const std::string& content, const std::string& extra_headers = "") {
    return request("POST", "/s3file", "multipart/form-data; boundary=" + kBoundary,
                   upload_body(fields, name, type, content), "Origin: http://127.0.0.1:9000\r\n" + extra_headers);
}

std::string widget_upload(const std::string& name, const std::string& type, const std::string& content) {
    return upload(widget_fields(issued(), name, type), name, type, content);
}

std::string multipart(const std::vector<std::array<std::string, 3>>& parts) {  // name, value, filename
    std::string body;
    for (const auto& [name, value, filename] : parts) {
        body += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"";
        if (!filename.empty()) body += "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream";
        body += "\r\n\r\n" + value + "\r\n";
    }
    return body + "--" + kBoundary + "--\r\n";
}

void emulator_seeds() {
    const std::string t = "s3_emulator";
    const std::string key = kFolder + "/hello.txt";
    write(t, "upload-201", widget_upload("hello.txt", "text/plain", "hello world\n"));
    write(t, "upload-then-get-and-head",
          widget_upload("hello.txt", "text/plain", "hello world\n") + request("GET", "/s3file/" + key, "", "") +
              request("HEAD", "/s3file/" + key, "", "") + request("GET", "/s3file/" + kFolder + "/missing.txt", "", ""));
    write(t, "upload-unicode-name", widget_upload("r\xC3\xA9sum\xC3\xA9 2026.pdf", "application/pdf", "%PDF-1.4\n"));
    write(t, "upload-two-files-keep-alive",
          widget_upload("a.txt", "text/plain", "first") + widget_upload("b b.png", "image/png", "\x89PNG\r\n\x1a\n"));
    {
        const IssuedPolicy small = issued(issuer(8));
        write(t, "upload-too-large", upload(widget_fields(small, "big.bin", "application/octet-stream"), "big.bin",
                                            "application/octet-stream", std::string(64, 'x')));
    }
    {
        FormFields fields = widget_fields(issued(), "hello.txt", "text/plain");
        for (auto& [name, value] : fields)
            if (name == "x-amz-signature") value[0] = value[0] == '0' ? '1' : '0';
        write(t, "upload-bad-signature", upload(fields, "hello.txt", "text/plain", "hello"));
    }
    {
        const IssuedPolicy old = issued(issuer(1 << 20, 3600), at("2020-01-01T00:00:00Z"));
        write(t, "upload-expired", upload(widget_fields(old, "old.txt", "text/plain"), "old.txt", "text/plain", "old"));
    }
    {
        FormFields fields = widget_fields(issued(), "notes.txt", "text/plain");
        fields.emplace_back("x-ignore-note", "exempt from the policy");
        fields.emplace_back("title", "not in the policy");
        write(t, "upload-extra-field", upload(fields, "notes.txt", "text/plain", "notes"));
    }
    {
        FormFields fields = widget_fields(issued(), "many.txt", "text/plain");
        for (int i = 0; i < 40; ++i) fields.emplace_back("x-ignore-" + std::to_string(i), std::to_string(i * i));
        write(t, "upload-many-parts", upload(fields, "many.txt", "text/plain", "many parts"));
    }
    {
        // The emulator substitutes ${filename} itself when the key still holds it.
        FormFields fields = widget_fields(issued(), "x", "text/plain");
        for (auto& [name, value] : fields)
            if (name == "key") value = kFolder + "/${filename}";
        write(t, "upload-filename-variable", upload(fields, "plain.txt", "text/plain", "plain"));
        write(t, "upload-filename-dotdot", upload(fields, "../../escape.txt", "text/plain", "escape"));
        write(t, "upload-filename-subfolder", upload(fields, "sub/dir/file.txt", "text/plain", "sub"));
    }
    {
        std::string body = upload_body(widget_fields(issued(), "first.txt", "text/plain"), "first.txt", "text/plain", "first");
        body.erase(body.size() - 4);  // "--\r\n": more parts follow the file, which S3 ignores
        body += "\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nignored\r\n--" + kBoundary + "--\r\n";
        write(t, "upload-parts-after-file",
              request("POST", "/s3file", "multipart/form-data; boundary=" + kBoundary, body));
    }
    {
        const std::string body = upload_body(widget_fields(issued(), "chunked.txt", "text/plain"), "chunked.txt",
                                             "text/plain", "chunked body");
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", body.size());
        write(t, "upload-chunked",
              "POST /s3file/ HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nTransfer-Encoding: chunked\r\n"
              "Content-Type: multipart/form-data; boundary=" + kBoundary + "\r\n\r\n" + size + body + "\r\n0\r\n\r\n");
    }
    write(t, "upload-expect-100",
          upload(widget_fields(issued(), "e.txt", "text/plain"), "e.txt", "text/plain", "expect", "Expect: 100-continue\r\n"));
    write(t, "fault-status-500", "#faults {\"kind\":\"status\",\"status\":500,\"retry_after\":\"3\"}\n" +
                                     widget_upload("hello.txt", "text/plain", "hello"));
    write(t, "fault-reset-then-stall",
          "#faults [{\"kind\":\"reset\",\"after_bytes\":100},{\"kind\":\"stall\",\"after_bytes\":10,\"seconds\":5},"
          "{\"kind\":\"status\",\"status\":503,\"count\":2}]\n" +
              widget_upload("a.txt", "text/plain", "first") + widget_upload("b.txt", "text/plain", "second"));
    write(t, "post-not-multipart", request("POST", "/s3file", "application/x-www-form-urlencoded", "key=a&policy=b"));
    write(t, "post-missing-policy", request("POST", "/s3file", "multipart/form-data; boundary=" + kBoundary,
                                            multipart({{"key", key, ""}, {"file", "data", "hello.txt"}})));
    write(t, "post-no-file", request("POST", "/s3file", "multipart/form-data; boundary=" + kBoundary,
                                     multipart({{"key", key, ""}, {"note", "no file", ""}})));
    write(t, "options-preflight",
          request("OPTIONS", "/s3file", "", "",
                  "Origin: http://localhost:9000\r\nAccess-Control-Request-Method: POST\r\n"
                  "Access-Control-Request-Headers: content-type, x-requested-with\r\n"));
    write(t, "get-traversal", request("GET", "/s3file/..%2Fsecret", "", "") +
                                  request("GET", "/s3file/../../secret", "", "") +
                                  request("GET", "/s3file/%2e%2e/%2e%2e/secret", "", "") +
                                  request("GET", "/s3file/a/..%2F..%2F..%2Fsecret", "", ""));
}

void app_seeds() {
    const std::string t = "app_json";
    const std::string json_type = "application/json";
    const std::string signature = django_signature(kFormSecret, kS3FileSalt, kFolder);
    auto policy = [&](const json& body) { return request("POST", "/api/policy", json_type, body.dump()); };
    write(t, "policy-single", policy({{"name", "photo.jpg"}, {"size", 1234}, {"type", "image/jpeg"}, {"field", "file"}}));
    write(t, "policy-batch", policy({{"files", {{{"name", "a.png"}, {"size", 1}, {"type", "image/png"}},
                                                {{"name", "b.pdf"}, {"size", 2}, {"type", "application/pdf"}, {"field", "doc"}},
                                                {{"name", "c"}, {"size", 0}, {"type", ""}}}}}));
    write(t, "policy-type-refused", policy({{"name", "notes.txt"}, {"size", 5}, {"type", "text/plain"}}));
    write(t, "policy-invalid", policy(json::array({1, 2})) + policy({{"name", ""}, {"size", -1}}) +
                                   policy({{"files", json::array()}}) + request("POST", "/api/policy", json_type, "{\"name\":"));
    {
        json nested = {{"c", {1, 2, {{"d", nullptr}}}}};
        for (int i = 0; i < 60; ++i) nested = (i % 2 == 0) ? json::array({nested}) : json{{"n" + std::to_string(i), nested}};
        write(t, "policy-nested", policy({{"name", "deep.png"}, {"size", 1}, {"type", "image/png"}, {"meta", nested}}));
    }
    write(t, "faults-post-get-delete",
          request("POST", "/_faults", json_type,
                  R"([{"kind":"status","status":503,"retry_after":"2","count":2},{"kind":"reset","after_bytes":1000},)"
                  R"({"kind":"stall","after_bytes":10,"seconds":1.5},{"kind":"delay","seconds":0.25}])") +
              request("GET", "/_faults", "", "") + request("DELETE", "/_faults", "", ""));
    write(t, "faults-invalid", request("POST", "/_faults", json_type, R"({"kind":"status","status":"x"})") +
                                   request("POST", "/_faults", json_type, R"({"kind":"stall","seconds":1e9})") +
                                   request("POST", "/_faults", json_type, R"({"kind":"status","status":418,"count":0})"));
    const std::string multipart_type = "multipart/form-data; boundary=" + kBoundary;
    write(t, "submit-signed-multipart",
          request("POST", "/submit", multipart_type,
                  multipart({{"title", "Holiday", ""}, {"s3file", "file", ""}, {"file", kPlantedKey, ""},
                             {"file-s3f-signature", signature, ""}, {"other_file", "fallback bytes", "plain.txt"}})));
    write(t, "submit-signed-urlencoded",
          request("POST", "/submit", "application/x-www-form-urlencoded",
                  "title=Holiday+photos&s3file=file&file=" + httplib::detail::encode_query_param(kPlantedKey) +
                      "&file-s3f-signature=" + signature + "&save=Save"));
    write(t, "submit-refused",
          request("POST", "/submit", multipart_type,
                  multipart({{"s3file", "file", ""}, {"file", kFolder + "/../../other/x.jpg", ""},
                             {"file-s3f-signature", signature, ""}})) +
              request("POST", "/submit", multipart_type,
                      multipart({{"s3file", "file", ""}, {"file", kFolder + "/missing.jpg", ""},
                                 {"file-s3f-signature", signature, ""}})) +
              request("POST", "/submit", multipart_type, multipart({{"s3file", "file", ""}, {"file", kPlantedKey, ""}})));
    {
        std::vector<std::array<std::string, 3>> parts = {{"s3file", "file", ""}, {"file-s3f-signature", signature, ""}};
        for (int i = 0; i < 60; ++i) parts.push_back({i % 3 == 0 ? "file" : "field" + std::to_string(i % 7),
                                                      i % 3 == 0 ? kPlantedKey : std::to_string(i), ""});
        write(t, "submit-many-parts", request("POST", "/submit", multipart_type, multipart(parts)));
    }
    write(t, "pages-and-static",
          request("GET", "/form?initial=" + httplib::detail::encode_query_param(kFolder + "/a b.txt"), "", "") +
              request("GET", "/", "", "") + request("GET", "/s3file.js", "", "") +
              request("GET", "/../secret", "", "") + request("GET", "/favicon.ico", "", ""));
    const std::string small = R"({"name":"x.png","size":3})";
    write(t, "policy-then-submit-http10",
          "POST /api/policy HTTP/1.0\r\nConnection: Keep-Alive\r\nContent-Type: application/json\r\nContent-Length: " +
              std::to_string(small.size()) + "\r\n\r\n" + small +
              request("POST", "/submit", "application/x-www-form-urlencoded", "title=only"));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <corpus folder>\n", argv[0]);
        return 2;
    }
    out_dir = argv[1];
    emulator_seeds();
    app_seeds();
    return 0;
}
