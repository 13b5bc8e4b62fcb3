// The server over real HTTP on loopback ephemeral ports: policy → upload → read back → submit,
// and every refusal and fault the browser can meet.
#include <catch2/catch.hpp>

#include "server/server_fixture.hpp"


TEST_CASE("policy, upload, read back and submit over real HTTP") {
    Running r;
    const json policy = r.policy("hello.txt", 11);
    CHECK(policy["url"].get<std::string>() == "http://127.0.0.1:" + std::to_string(r.server->s3_port()) + "/s3file");
    const std::string content = "hello world";
    auto res = r.upload(policy, "hello.txt", content);
    REQUIRE(res);
    CHECK(res->status == 201);
    const std::string key = xml_text(res->body, "Key");
    CHECK(key == policy["key_prefix"].get<std::string>() + "hello.txt");
    CHECK(res->get_header_value("ETag") == "\"" + to_hex([&] {
              StreamDigest md5(StreamDigest::Kind::Md5);
              md5.update(content.data(), content.size());
              return md5.finish();
          }()) + "\"");
    CHECK(res->get_header_value("Access-Control-Expose-Headers") == "ETag, Location, Retry-After");

    auto back = r.s3->Get(("/s3file/" + key).c_str());
    REQUIRE(back);
    CHECK(back->status == 200);
    CHECK(back->body == content);
    CHECK(back->get_header_value("Content-Type") == "text/plain");
    auto head = r.s3->Head(("/s3file/" + key).c_str());
    REQUIRE(head);
    CHECK(head->get_header_value("Content-Length") == "11");

    httplib::Params form{{"s3file", "doc"}, {"doc", key}, {"doc-s3f-signature", policy["signature"]}, {"title", "T"}};
    auto submitted = r.app->Post("/submit", form);
    REQUIRE(submitted);
    CHECK(submitted->status == 201);
    const json received = json::parse(submitted->body);
    CHECK(received["fields"] == json{{"title", {"T"}}});
    CHECK(received["files"]["doc"][0]["key"] == key);
    CHECK(received["files"]["doc"][0]["name"] == "hello.txt");
    CHECK(received["files"]["doc"][0]["size"] == 11);
    CHECK(received["files"]["doc"][0]["sha256"] == to_hex(sha256(content)));
}

TEST_CASE("a batch policy request gives each file its own folder") {
    Running r;
    auto res = r.app->Post("/api/policy",
                           R"({"files": [{"name": "a.txt", "size": 1, "field": "x"}, {"name": "a.txt", "size": 1, "field": "x"}]})",
                           "application/json");
    REQUIRE(res);
    const json body = json::parse(res->body);
    REQUIRE(body["files"].size() == 2);
    CHECK(body["files"][0]["key_prefix"] != body["files"][1]["key_prefix"]);
    CHECK(body["files"][1]["field"] == "x");
    for (const char* bad : {"{", R"({"files": []})", R"({"name": "", "size": 1})", R"({"name": "a", "size": -1})", "[]"}) {
        auto refused = r.app->Post("/api/policy", bad, "application/json");
        REQUIRE(refused);
        CHECK(refused->status == 400);
        CHECK(json::parse(refused->body).contains("error"));
    }
}

TEST_CASE("refused uploads store nothing and answer S3's errors") {
    Running r(16);
    const json policy = r.policy("a.txt", 5);
    auto too_large = r.upload(policy, "a.txt", std::string(17, 'x'));
    check_s3_error(too_large, 400, "EntityTooLarge");
    CHECK(xml_text(too_large->body, "MaxSizeAllowed") == "16");

    json forged = policy;
    forged["fields"]["x-amz-signature"] = std::string(64, 'a');
    check_s3_error(r.upload(forged, "a.txt", "x"), 403, "SignatureDoesNotMatch");

    json unsigned_policy = policy;
    unsigned_policy["fields"].erase("x-amz-signature");
    check_s3_error(r.upload(unsigned_policy, "a.txt", "x"), 400, "InvalidArgument");

    auto extra = r.upload(policy, "a.txt", "x", {{"x-amz-meta-sneaky", "1", "", ""}});
    REQUIRE(extra);
    CHECK(extra->status == 403);
    CHECK(xml_text(extra->body, "Message") == "Invalid according to Policy: Extra input fields: x-amz-meta-sneaky");

    check_s3_error(r.upload(policy, "../../../escape.txt", "x"), 400, "InvalidArgument");

    auto big_fields = r.upload(policy, "a.txt", "x", {{"x-ignore-padding", std::string(21 * 1024, 'p'), "", ""}});
    REQUIRE(big_fields);
    CHECK(xml_text(big_fields->body, "Code") == "MaxPostPreDataLengthExceeded");

    httplib::MultipartFormDataItems no_file;
    for (const auto& [name, value] : policy["fields"].items()) no_file.push_back({name, value.get<std::string>(), "", ""});
    auto missing = r.s3->Post("/s3file", no_file);
    REQUIRE(missing);
    CHECK(xml_text(missing->body, "Code") == "IncorrectNumberOfFilesInPostRequest");

    auto not_multipart = r.s3->Post("/s3file", "key=x", "application/x-www-form-urlencoded");
    REQUIRE(not_multipart);
    CHECK(xml_text(not_multipart->body, "Code") == "MalformedPOSTRequest");

    CHECK(r.files_in_storage() == 0);
    CHECK_FALSE(fs::exists(r.root.parent_path() / "escape.txt"));
}

TEST_CASE("fields after the file part are ignored, like S3") {
    Running r;
    const json policy = r.policy("a.txt", 1);
    httplib::MultipartFormDataItems items;
    for (const auto& [name, value] : policy["fields"].items()) items.push_back({name, value.get<std::string>(), "", ""});
    items.push_back({"Content-Type", "text/plain", "", ""});
    items.push_back({"file", "1", "a.txt", "text/plain"});
    items.push_back({"x-amz-meta-late", "ignored", "", ""});
    items.push_back({"file", "2", "b.txt", "text/plain"});
    auto res = r.s3->Post("/s3file", items);
    REQUIRE(res);
    CHECK(res->status == 201);
    auto back = r.s3->Get(("/s3file/" + xml_text(res->body, "Key")).c_str());
    REQUIRE(back);
    CHECK(back->body == "1");
}

TEST_CASE("CORS preflight answers like a bucket configured for browser uploads") {
    Running r;
    httplib::Headers headers{{"Origin", "http://127.0.0.1:8080"}, {"Access-Control-Request-Method", "POST"},
                             {"Access-Control-Request-Headers", "content-type"}};
    auto res = r.s3->Options("/s3file", headers);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Access-Control-Allow-Origin") == "http://127.0.0.1:8080");
    CHECK(res->get_header_value("Access-Control-Allow-Methods").find("POST") != std::string::npos);
    CHECK(res->get_header_value("Access-Control-Allow-Headers") == "content-type");
    CHECK_FALSE(res->get_header_value("Access-Control-Max-Age").empty());
}

TEST_CASE("the form receiver refuses forged, traversing and unsigned keys") {
    Running r;
    const json policy = r.policy("a.txt", 1);
    auto res = r.upload(policy, "a.txt", "1");
    REQUIRE(res);
    const std::string key = xml_text(res->body, "Key");
    const std::string signature = policy["signature"];
    const std::vector<httplib::Params> forged = {
        {{"s3file", "doc"}, {"doc", key}},
        {{"s3file", "doc"}, {"doc", key}, {"doc-s3f-signature", "forged"}},
        {{"s3file", "doc"}, {"doc", policy["key_prefix"].get<std::string>() + "../../etc/passwd"}, {"doc-s3f-signature", signature}},
        {{"s3file", "doc"}, {"doc", "tmp/s3file/a.txt"}, {"doc-s3f-signature", signature}},
        {{"s3file", "doc"}, {"doc", "/etc/passwd"}, {"doc-s3f-signature", signature}},
    };
    for (const auto& form : forged) {
        auto refused = r.app->Post("/submit", form);
        REQUIRE(refused);
        CHECK(refused->status == 403);
        CHECK_FALSE(json::parse(refused->body)["error"].get<std::string>().empty());
    }
    // Signed but never uploaded: not a file the form may claim.
    auto ghost = r.app->Post("/submit", httplib::Params{{"s3file", "doc"},
                                                        {"doc", policy["key_prefix"].get<std::string>() + "ghost.txt"},
                                                        {"doc-s3f-signature", signature}});
    REQUIRE(ghost);
    CHECK(ghost->status == 400);
}

TEST_CASE("faults: error statuses with Retry-After, then normal service") {
    Running r;
    auto scheduled = r.app->Post("/_faults", R"([{"kind": "status", "status": 503, "retry_after": "3"},
                                                {"kind": "status", "status": 400}])", "application/json");
    REQUIRE(scheduled);
    CHECK(scheduled->status == 200);
    CHECK(json::parse(scheduled->body)["pending"].size() == 2);
    const json policy = r.policy("a.txt", 1);
    auto slow = r.upload(policy, "a.txt", "1");
    REQUIRE(slow);
    CHECK(slow->status == 503);
    CHECK(slow->get_header_value("Retry-After") == "3");
    CHECK(xml_text(slow->body, "Code") == "SlowDown");
    check_s3_error(r.upload(policy, "a.txt", "1"), 400, "RequestTimeout");
    auto ok = r.upload(policy, "a.txt", "1");
    REQUIRE(ok);
    CHECK(ok->status == 201);
    auto bad = r.app->Post("/_faults", R"({"kind": "explode"})", "application/json");
    REQUIRE(bad);
    CHECK(bad->status == 400);
}

TEST_CASE("faults: a connection reset mid-body stores nothing") {
    Running r;
    REQUIRE(r.app->Post("/_faults", R"({"kind": "reset", "after_bytes": 100})", "application/json"));
    const json policy = r.policy("a.txt", 5000);
    auto reset = r.upload(policy, "a.txt", std::string(5000, 'r'));
    CHECK_FALSE(reset);  // no HTTP answer at all
    CHECK(r.files_in_storage() == 0);
    auto ok = r.upload(policy, "a.txt", std::string(5000, 'r'));
    REQUIRE(ok);
    CHECK(ok->status == 201);
}

TEST_CASE("faults: delay and stall still end in a stored object") {
    Running r;
    REQUIRE(r.app->Post("/_faults", R"([{"kind": "delay", "seconds": 0.2}, {"kind": "stall", "after_bytes": 10, "seconds": 0.2}])",
                        "application/json"));
    const json policy = r.policy("a.txt", 3);
    for (int i = 0; i < 2; ++i) {
        auto res = r.upload(policy, "a.txt", "abc");
        REQUIRE(res);
        CHECK(res->status == 201);
    }
    auto left = r.app->Get("/_faults");
    REQUIRE(left);
    CHECK(json::parse(left->body)["pending"].empty());
}

TEST_CASE("with --s3-endpoint, policies are for that store and nothing is emulated") {
    ServerConfig config;
    config.port = 0;
    config.s3_endpoint = "https://s3.eu-west-1.amazonaws.com/";
    config.bucket = "my-bucket";
    config.region = "eu-west-1";
    config.secret = "real-mode-secret-real-mode-secret!!";
    S3FileServer server(config, Credentials{"AKIAREALREALREALREAL", "real/secret", "session-token"});
    std::string error;
    REQUIRE(server.start(error));
    CHECK_FALSE(server.emulating());
    CHECK(server.s3_port() == -1);
    httplib::Client app("127.0.0.1", server.app_port());
    auto res = app.Post("/api/policy", R"({"name": "a.txt", "size": 1, "type": "text/plain"})", "application/json");
    REQUIRE(res);
    const json policy = json::parse(res->body);
    CHECK(policy["url"] == "https://s3.eu-west-1.amazonaws.com/my-bucket");
    CHECK(policy["fields"]["x-amz-security-token"] == "session-token");
    CHECK(policy["fields"]["x-amz-credential"].get<std::string>().rfind("AKIAREALREALREALREAL/", 0) == 0);
    // Keys are still verified before a form is accepted (objects cannot be checked locally).
    auto submitted = app.Post("/submit", httplib::Params{{"s3file", "f"},
                                                         {"f", policy["key_prefix"].get<std::string>() + "a.txt"},
                                                         {"f-s3f-signature", policy["signature"]}});
    REQUIRE(submitted);
    CHECK(submitted->status == 201);
    CHECK_FALSE(json::parse(submitted->body)["files"]["f"][0].contains("sha256"));
    server.stop();
}
