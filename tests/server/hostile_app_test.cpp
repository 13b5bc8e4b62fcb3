// Hostile input to the app port: deep JSON, non-UTF-8 form data, oversize forms, and the
// test-only /_faults endpoint called from where it must not be.
#include <unistd.h>

#include "config.hpp"
#include "server/raw_client.hpp"
#include "server/server_fixture.hpp"

namespace {

std::string nested(std::size_t depth) { return "{\"x\":" + std::string(depth, '[') + std::string(depth, ']') + "}"; }

void check_json_error(const httplib::Result& res, int status, const std::string& words) {
    REQUIRE(res);
    INFO(res->body);
    CHECK(res->status == status);
    CHECK_FALSE(res->has_header("EXCEPTION_WHAT"));
    const json body = json::parse(res->body, nullptr, false);
    REQUIRE(body.is_object());
    CHECK(body["error"].get<std::string>().find(words) != std::string::npos);
}

httplib::Headers same_origin(const Running& r) {
    return {{"Origin", "http://127.0.0.1:" + std::to_string(r.server->app_port())}};
}

}  // namespace

TEST_CASE("hostile: JSON nested 100,000 deep is refused with 400 on every JSON entry point") {
    Running r;
    check_json_error(r.app->Post("/api/policy", nested(100000), "application/json"), 400, "nests deeper than 32 levels");
    check_json_error(r.app->Post("/api/policy", R"({"files": [)" + nested(100000) + "]}", "application/json"), 400,
                     "nests deeper");
    check_json_error(r.app->Post("/_faults", same_origin(r), nested(100000), "application/json"), 400, "nests deeper");
    check_json_error(r.app->Post("/api/policy", "{\"name\": ", "application/json"), 400, "not valid JSON");
    // Nesting a real request might use still works, and so does the server.
    auto ok = r.app->Post("/api/policy", nested(20).replace(1, 3, "\"meta\"") .insert(1, R"("name": "a.txt", "size": 1, )"),
                          "application/json");
    REQUIRE(ok);
    CHECK(ok->status == 200);
    r.policy("after.txt", 1);
}

TEST_CASE("hostile: non-UTF-8 form data is received with U+FFFD, never a 500") {
    Running r;
    auto res = r.app->Post("/submit", "title=caf%E9&note=%FF%FE", "application/x-www-form-urlencoded");
    REQUIRE(res);
    INFO(res->body);
    CHECK(res->status == 201);
    CHECK_FALSE(res->has_header("EXCEPTION_WHAT"));
    const json body = json::parse(res->body);
    CHECK(body["fields"]["title"][0] == "caf\xEF\xBF\xBD");
    // A plain-posted file with a Latin-1 name (the no-JavaScript fallback).
    httplib::MultipartFormDataItems items{{"doc", "bytes", "r\xe9sum\xe9.txt", "text/plain"}};
    auto posted = r.app->Post("/submit", items);
    REQUIRE(posted);
    CHECK(posted->status == 201);
    CHECK(json::parse(posted->body)["files"]["doc"][0]["size"] == 5);
}

TEST_CASE("an empty file input posted the plain way is no field and no file, as in Django") {
    Running r;
    httplib::MultipartFormDataItems items{{"title", "T", "", ""}, {"doc", "", "", "application/octet-stream"}};
    auto posted = r.app->Post("/submit", items);
    REQUIRE(posted);
    CHECK(posted->status == 201);
    const json body = json::parse(posted->body);
    CHECK(body["fields"] == json{{"title", {"T"}}});
    CHECK(body["files"].empty());
}

TEST_CASE("hostile: forms over cpp-httplib's limits get a clear JSON message") {
    Running r;
    check_json_error(r.app->Post("/submit", "title=" + std::string(9000, 'a'), "application/x-www-form-urlencoded"), 413,
                     "8,192 bytes");
    httplib::MultipartFormDataItems many;
    for (int i = 0; i < 1100; ++i) many.push_back({"f" + std::to_string(i), "v", "", ""});
    check_json_error(r.app->Post("/submit", many), 400, "1,024 parts");
    check_json_error(r.app->Get("/no/such/page"), 404, "Not found");
}

TEST_CASE("hostile: /_faults takes JSON from its own origin only, and its list is bounded") {
    Running r;
    const std::string fault = R"({"kind": "status", "status": 503})";
    const std::string port = std::to_string(r.server->app_port());
    check_json_error(r.app->Post("/_faults", fault, "text/plain"), 403, "application/json");  // a CSRF form post
    check_json_error(r.app->Post("/_faults", {{"Origin", "http://evil.example"}}, fault, "application/json"), 403,
                     "cross-origin");
    check_json_error(r.app->Post("/_faults", {{"Sec-Fetch-Site", "cross-site"}}, fault, "application/json"), 403,
                     "cross-site");
    {   // DNS rebinding: a page at evil.example whose name now resolves to 127.0.0.1
        RawClient client(r.server->app_port());
        client.send("DELETE /_faults HTTP/1.1\r\nHost: evil.example:" + port + "\r\nContent-Length: 0\r\n\r\n");
        CHECK(status_of(client.read_response()) == 403);
    }
    {   // The same with a name that does resolve to loopback (Debian lists the machine's own name
        // in /etc/hosts as 127.0.x.1), as the rebinding name does by then: Host and Origin agree.
        char name[256] = {};
        REQUIRE(gethostname(name, sizeof name - 1) == 0);
        const std::string host = std::string(name) + ":" + port;
        INFO(host);
        if (is_loopback(name)) {  // what makes it the rebinding case (before the fix: 200)
            RawClient client(r.server->app_port());
            client.send("POST /_faults HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://" + host +
                        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(fault.size()) +
                        "\r\n\r\n" + fault);
            CHECK(status_of(client.read_response()) == 403);
        } else {
            WARN("this machine's name does not resolve to loopback: the rebinding request is not sent");
        }
    }
    for (const char* yes : {"127.0.0.1", "127.9.9.9", "::1", "[::1]", "localhost", "LocalHost"}) CHECK(is_loopback_literal(yes));
    for (const char* no : {"127.1", "0x7f000001", "localhost.", "vm", "evil.example", "[::ffff:127.0.0.1]", "10.0.0.1", ""})
        CHECK_FALSE(is_loopback_literal(no));
    CHECK(r.server->faults().pending() == 0);

    auto ok = r.app->Post("/_faults", same_origin(r), fault, "application/json");
    REQUIRE(ok);
    CHECK(ok->status == 200);
    CHECK(r.server->faults().pending() == 1);
    const std::string many = R"([{"kind": "status", "count": 1000}, {"kind": "status", "count": 1000}])";
    check_json_error(r.app->Post("/_faults", many, "application/json"), 400, "at most 1000 faults");
    CHECK(r.server->faults().pending() == 1);  // all or nothing
}

TEST_CASE("hostile: loopback is decided on what the bind address resolves to") {
    for (const char* yes : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"}) CHECK(is_loopback(yes));
    for (const char* no : {"0.0.0.0", "::", "", "192.168.1.1", "127.example.test", "10.0.0.1", "[::]"}) {
        INFO(no);
        CHECK_FALSE(is_loopback(no));
    }
    ServerConfig config;
    config.bind = "127.example.test";
    config.secret = std::string(40, 'k');
    CHECK(deploy_problems(config, true).size() == 1);  // the emulator would not be on loopback
}
