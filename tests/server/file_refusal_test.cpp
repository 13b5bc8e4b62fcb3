// Files storage would refuse get no policy: /api/policy answers 400 with one entry per file,
// in request order, before a byte is uploaded.
#include <catch2/catch.hpp>

#include "app/file_refusal.hpp"
#include "server/server_fixture.hpp"

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

const auto kImagesAndPdf = [](ServerConfig& config) { config.accept = {"image/*", "application/pdf"}; };

json file(const std::string& name, const json& size, const std::string& type) {
    return {{"name", name}, {"size", size}, {"type", type}, {"field", "doc"}};
}

// POSTs `body` to /api/policy; the answer's status and parsed JSON.
std::pair<int, json> ask(Running& r, const json& body) {
    auto res = r.app->Post("/api/policy", body.dump(), "application/json");
    REQUIRE(res);
    INFO(res->body);
    const json parsed = json::parse(res->body, nullptr, false);
    REQUIRE(parsed.is_object());
    return {res->status, parsed};
}

std::pair<int, json> ask_batch(Running& r, const std::vector<json>& files) { return ask(r, json{{"files", files}}); }

}  // namespace

TEST_CASE("policy refusal: a file larger than --max-size is FileTooLarge, with the limit") {
    Running r(1 * kMiB);
    const auto [status, body] = ask_batch(r, {file("big.iso", 200 * kMiB, "application/x-iso9660-image")});
    CHECK(status == 400);
    const json expected = {{"code", "FileTooLarge"},
                           {"error", "big.iso is 200 MB; the largest file accepted is 1 MB."},
                           {"limit", 1048576}};
    CHECK(body["files"] == json::array({expected}));
    CHECK(body["error"] == expected["error"]);  // a list of one: the file's own sentence
    // The single-file form is answered unwrapped, like its policy would be.
    const auto [single_status, single] = ask(r, file("big.iso", 1536 * kMiB, "application/x-iso9660-image"));
    CHECK(single_status == 400);
    CHECK(single == json{{"code", "FileTooLarge"},
                         {"error", "big.iso is 1.5 GB; the largest file accepted is 1 MB."},
                         {"limit", 1048576}});
    // The largest size a request may claim (2^63 - 1 = 8 EiB) does not wrap around.
    CHECK(ask(r, file("x", INT64_MAX, "")).second["error"] == "x is 8 EB; the largest file accepted is 1 MB.");
    CHECK(ask(r, file("y", 1610612736, "")).second["error"] == "y is 1.5 GB; the largest file accepted is 1 MB.");
}

TEST_CASE("policy refusal: exactly --max-size is accepted and uploads, one byte more is refused") {
    Running r(16);
    const auto [status, body] = ask_batch(r, {file("exact.txt", 16, "text/plain")});
    REQUIRE(status == 200);
    auto stored = r.upload(body["files"][0], "exact.txt", std::string(16, 'x'));
    REQUIRE(stored);
    CHECK(stored->status == 201);  // the check and storage draw the line in the same place
    const auto [over_status, over] = ask_batch(r, {file("over.txt", 17, "text/plain")});
    CHECK(over_status == 400);
    // Both would print as "16 bytes" anyway; a limit of 1 MB and one byte more show in bytes.
    CHECK(over["files"][0]["error"] == "over.txt is 17 bytes; the largest file accepted is 16 bytes.");
    Running mib(1 * kMiB);
    CHECK(ask_batch(mib, {file("a.bin", 1 * kMiB, "")}).first == 200);
    CHECK(ask_batch(mib, {file("a.bin", 1 * kMiB + 1, "")}).second["error"] ==
          "a.bin is 1048577 bytes; the largest file accepted is 1048576 bytes.");
}

TEST_CASE("policy refusal: a type the accept list does not match is TypeNotAccepted") {
    Running r(1 * kMiB, kImagesAndPdf);
    const auto [status, body] = ask_batch(r, {file("notes.txt", 10, "text/plain")});
    CHECK(status == 400);
    CHECK(body["files"] == json::array({{{"code", "TypeNotAccepted"},
                                         {"error", "notes.txt: files of type text/plain are not accepted "
                                                   "(accepted: image/*, application/pdf)."},
                                         {"accept", "image/*,application/pdf"}}}));
    // The rule the policy's Content-Type condition uses: "image/*" is the prefix "image/".
    CHECK(ask_batch(r, {file("x.png", 10, "imagex/png")}).first == 400);
    CHECK(ask_batch(r, {file("x.pdf", 10, "application/pdfx")}).first == 400);
    const auto [ok_status, ok] = ask_batch(r, {file("x.png", 10, "image/png"), file("x.pdf", 10, "application/pdf")});
    CHECK(ok_status == 200);
    CHECK(ok["files"][0]["fields"]["Content-Type"] == "image/png");
    CHECK(ok["files"][1]["fields"]["Content-Type"] == "application/pdf");
}

TEST_CASE("policy refusal: a mixed batch answers one entry per file, in order, and issues nothing") {
    Running r(1 * kMiB, kImagesAndPdf);
    const auto [status, body] = ask_batch(r, {file("a.png", 1, "image/png"), file("big.iso", 200 * kMiB, "image/png"),
                                              file("notes.txt", 1, "text/plain"), file("b.pdf", 1 * kMiB, "application/pdf"),
                                              file("huge.txt", 3 * kMiB, "text/plain")});
    CHECK(status == 400);
    CHECK(body["error"] == "3 of 5 files were refused.");
    REQUIRE(body["files"].size() == 5);
    CHECK(body["files"][0] == json::object());
    CHECK(body["files"][1]["code"] == "FileTooLarge");
    CHECK(body["files"][1]["error"] == "big.iso is 200 MB; the largest file accepted is 1 MB.");
    CHECK(body["files"][2]["code"] == "TypeNotAccepted");
    CHECK(body["files"][3] == json::object());
    // Both wrong: the type is named, as storage checks it before the length.
    CHECK(body["files"][4]["code"] == "TypeNotAccepted");
    CHECK(body.dump().find("x-amz-signature") == std::string::npos);  // no policy for anyone
    CHECK(body.size() == 2);
    const auto [one_status, one] = ask_batch(r, {file("a.png", 1, "image/png"), file("notes.txt", 1, "text/plain")});
    CHECK(one_status == 400);
    CHECK(one["error"] == "1 of 2 files was refused.");
}

TEST_CASE("policy refusal: an empty type is refused when there is an accept list") {
    // One rule: the policy would pin it and storage refuse the empty type the widget sends.
    Running one(1 * kMiB, [](ServerConfig& config) { config.accept = {"image/*"}; });
    const auto [status, body] = ask_batch(one, {file("scan", 1, "")});
    CHECK(status == 400);
    CHECK(body["files"][0] == json{{"code", "TypeNotAccepted"},
                                   {"error", "scan: files of unknown type are not accepted (accepted: image/*)."},
                                   {"accept", "image/*"}});
    // Several rules: the policy would leave Content-Type open and store any type; refused too.
    Running several(1 * kMiB, kImagesAndPdf);
    const auto [several_status, several_body] = ask(several, file("scan", 1, ""));
    CHECK(several_status == 400);
    CHECK(several_body["code"] == "TypeNotAccepted");
    // Without an accept list any type, the empty one included, gets its policy.
    Running any;
    const auto [any_status, any_body] = ask_batch(any, {file("scan", 1, "")});
    CHECK(any_status == 200);
    CHECK(any_body["files"][0].contains("url"));
}

TEST_CASE("policy refusal: when every file is accepted the answer is the policies, as before") {
    Running r(1 * kMiB, kImagesAndPdf);
    const auto [status, body] = ask_batch(r, {file("a.png", 1 * kMiB, "image/png"), file("b.pdf", 0, "application/pdf")});
    CHECK(status == 200);
    REQUIRE(body["files"].size() == 2);
    for (const auto& policy : body["files"]) {
        CHECK(policy["url"] == "http://127.0.0.1:" + std::to_string(r.server->s3_port()) + "/s3file");
        CHECK(policy["fields"].contains("x-amz-signature"));
        CHECK(policy["field"] == "doc");
    }
    CHECK_FALSE(body.contains("error"));
    const auto [single_status, single] = ask(r, file("a.png", 5, "image/png"));
    CHECK(single_status == 200);
    CHECK(single["key_prefix"].get<std::string>().rfind("tmp/s3file/", 0) == 0);
}

TEST_CASE("policy refusal: a malformed size is still a bad request, before any refusal") {
    Running r(16);
    const json bad_sizes[] = {-1, "12", 1.5, nullptr};
    for (const auto& size : bad_sizes) {
        INFO(size.dump());
        const auto [status, body] = ask_batch(r, {file("big.iso", 1 * kMiB, "text/plain"), file("a.txt", size, "text/plain")});
        CHECK(status == 400);
        CHECK(body == json{{"error", "'size' must be a non-negative integer (bytes)"}});
    }
    const auto [status, body] = ask(r, {{"name", "a.txt"}, {"type", "text/plain"}});  // no size at all
    CHECK(status == 400);
    CHECK(body == json{{"error", "'size' must be a non-negative integer (bytes)"}});
}

TEST_CASE("policy refusal: names in messages are valid UTF-8, without controls, and cut when long") {
    Running r(16);
    // JSON brings a newline and U+202E (right-to-left override: "gpj.exe" would read "exe.jpg").
    const auto [status, body] = ask(r, file("x\n\xE2\x80\xAEgpj.exe", 17, "text/plain"));
    CHECK(status == 400);
    CHECK(body["error"] == "x\xEF\xBF\xBD\xEF\xBF\xBDgpj.exe is 17 bytes; the largest file accepted is 16 bytes.");
    // A very long name keeps its start and its extension.
    const std::string long_name = std::string(300, 'a') + "-\xc3\xa9t\xc3\xa9.tar.gz";
    const std::string shown = std::string(70, 'a') + "\xE2\x80\xA6" + std::string(18, 'a') + "-\xc3\xa9t\xc3\xa9.tar.gz";
    CHECK(display_name(long_name, 100) == shown);
    const auto [long_status, long_body] = ask(r, file(long_name, 17, "text/plain"));
    CHECK(long_status == 400);
    CHECK(long_body["error"] == shown + " is 17 bytes; the largest file accepted is 16 bytes.");
}

TEST_CASE("display_name: invalid UTF-8 and controls become U+FFFD, short names stay whole") {
    CHECK(display_name("r\xe9sum\xe9.txt", 100) == "r\xEF\xBF\xBDsum\xEF\xBF\xBD.txt");  // Latin-1 bytes
    CHECK(display_name("a\tb\x7f\xc2\x85", 100) == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD");  // TAB, DEL, NEL
    CHECK(display_name("\xE2\x81\xA6x\xE2\x81\xA9", 100) == "\xEF\xBF\xBDx\xEF\xBF\xBD");  // isolates
    CHECK(display_name("\xed\xa0\x80", 100) == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
    CHECK(display_name("\xe6\x97\xa5\xe6\x9c\xac.txt", 100) == "\xe6\x97\xa5\xe6\x9c\xac.txt");
    CHECK(display_name(std::string(100, 'n'), 100) == std::string(100, 'n'));
    CHECK(display_name(std::string(101, 'n'), 100) == std::string(70, 'n') + "\xE2\x80\xA6" + std::string(29, 'n'));
    CHECK(display_name("", 100).empty());
}

TEST_CASE("refusal_summary: counts with the verb agreeing") {
    CHECK(refusal_summary(2, 5) == "2 of 5 files were refused.");
    CHECK(refusal_summary(1, 3) == "1 of 3 files was refused.");
    CHECK(refusal_summary(4, 4) == "4 of 4 files were refused.");
}
