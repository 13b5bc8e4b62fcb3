// Range requests on both ports (objects on storage, static files on the app): one range is
// served as S3 serves it, a range past the end is 416, and several ranges get the whole file
// once. cpp-httplib 0.11 answered a range past the end with 206 and no body, and served ~700
// overlapping ranges of a 1 MiB object as 734 MB (byte_range.hpp).
#include <fstream>
#include <string>

#include "http/byte_range.hpp"
#include "server/server_fixture.hpp"

namespace {

const std::string kBody = [] {
    std::string body;
    for (int i = 0; i < 99; ++i) body += static_cast<char>('a' + i % 26);
    return body;
}();

struct Case {
    const char* range;
    int status;
    std::string body;
    const char* content_range;
};

const Case kCases[] = {
    {"bytes=0-9", 206, kBody.substr(0, 10), "bytes 0-9/99"},
    {"bytes=90-", 206, kBody.substr(90), "bytes 90-98/99"},
    {"bytes=-5", 206, kBody.substr(94), "bytes 94-98/99"},
    {"bytes=-500", 206, kBody, "bytes 0-98/99"},         // a suffix longer than the file: all of it
    {"bytes=50-1000", 206, kBody.substr(50), "bytes 50-98/99"},  // clamped to the end
    {"bytes=200-300", 416, "", "bytes */99"},            // before: 206, Content-Length 101, no body
    {"bytes=99-", 416, "", "bytes */99"},
    {"bytes=0-9,20-29", 200, kBody, ""},                 // several: the whole file, as S3 answers
};

// `count` copies of one range in a single header.
std::string repeated(const std::string& range, int count) {
    std::string header = "bytes=" + range;
    for (int i = 1; i < count; ++i) header += "," + range;
    return header;
}

void check_cases(httplib::Client& client, const std::string& path, bool s3) {
    for (const Case& c : kCases) {
        INFO(c.range);
        auto res = client.Get(path.c_str(), {{"Range", c.range}});
        REQUIRE(res);
        CHECK(res->status == c.status);
        CHECK(res->get_header_value("Content-Range") == c.content_range);
        if (c.status == 416) {
            CHECK(res->body.find(s3 ? "<Code>InvalidRange</Code>" : "not satisfiable") != std::string::npos);
            continue;
        }
        CHECK(res->body == c.body);
        CHECK(res->get_header_value("Accept-Ranges") == "bytes");
    }
    // 700 copies of the whole range in an 8 KB header: the file once, not 700 times.
    auto res = client.Get(path.c_str(), {{"Range", repeated("0-98", 700)}});
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == kBody);
}

}  // namespace

TEST_CASE("choose_range: one range clamped to the file, past the end unsatisfiable, several ignored") {
    using R = s3file::server::RangeChoice;
    s3file::server::ByteRange part;
    CHECK(choose_range({}, 10, part) == R::Whole);
    CHECK(choose_range({{0, 3}, {5, 6}}, 10, part) == R::Whole);
    REQUIRE(choose_range({{2, 4}}, 10, part) == R::Part);
    CHECK((part.first == 2 && part.length == 3));
    REQUIRE(choose_range({{-1, 3}}, 10, part) == R::Part);
    CHECK((part.first == 7 && part.length == 3));
    REQUIRE(choose_range({{8, -1}}, 10, part) == R::Part);
    CHECK((part.first == 8 && part.length == 2));
    REQUIRE(choose_range({{0, 1000}}, 10, part) == R::Part);
    CHECK((part.first == 0 && part.length == 10));
    CHECK(choose_range({{10, -1}}, 10, part) == R::Unsatisfiable);
    CHECK(choose_range({{-1, 0}}, 10, part) == R::Unsatisfiable);
    CHECK(choose_range({{0, -1}}, 0, part) == R::Unsatisfiable);  // any range of an empty file
    CHECK(choose_range({{-1, 5}}, 0, part) == R::Unsatisfiable);
}

TEST_CASE("storage GET: one range as S3 serves it, 416 InvalidRange past the end, several ranges the object once") {
    Running r;
    const json policy = r.policy("ranged.txt", kBody.size());
    auto up = r.upload(policy, "ranged.txt", kBody);
    REQUIRE(up);
    REQUIRE(up->status == 201);
    check_cases(*r.s3, "/s3file/" + xml_text(up->body, "Key"), true);
}

TEST_CASE("static files: one range served, 416 past the end (JSON, not encoded), several ranges the file once") {
    const fs::path web = fs::temp_directory_path() / ("s3file-web-" + random_token(6));
    fs::create_directories(web);
    std::ofstream(web / "data.js", std::ios::binary) << kBody;
    {
        Running r(1024 * 1024, [&](ServerConfig& config) { config.web_root = web.string(); });
        check_cases(*r.app, "/data.js", false);
    }
    fs::remove_all(web);
}

TEST_CASE("every other answer ignores Range: a page and an error page are sent whole, once") {
    // cpp-httplib applied the header to whatever a route answered: /form came back as 206
    // multipart/byteranges (700 ranges of 2,001 bytes: 1.49 MB for a 4.6 KB page), a 404's
    // JSON as slices of itself.
    Running r;
    auto page = r.app->Get("/form");
    REQUIRE(page);
    REQUIRE(page->status == 200);
    const httplib::Headers ranges{{"Range", repeated("0-2000", 700)}};
    auto ranged = r.app->Get("/form", ranges);
    REQUIRE(ranged);
    CHECK(ranged->status == 200);
    CHECK(ranged->get_header_value("Content-Range").empty());
    CHECK(ranged->body.size() == page->body.size());
    auto missing = r.app->Get("/no/such/page", {{"Range", "bytes=0-3"}});
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK(json::parse(missing->body)["error"] == "Not found.");
    auto no_key = r.s3->Get("/s3file/no-such-key", {{"Range", "bytes=0-3"}});
    REQUIRE(no_key);
    CHECK(no_key->status == 404);
    CHECK(xml_text(no_key->body, "Code") == "NoSuchKey");
}
