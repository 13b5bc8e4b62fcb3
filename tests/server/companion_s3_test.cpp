// Uppy Companion's S3 routes on the app port, end to end against the emulator: the JSON shapes
// and status codes, the signed folders, and every refusal.
#include "server/server_fixture.hpp"

#include <atomic>
#include <thread>

#include "app/upload_keys.hpp"
#include "emulator/multipart_store.hpp"

namespace {

std::string pattern(std::size_t size, char seed) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(seed + i * 7 % 253);
    return bytes;
}

std::string path_of_url(const std::string& url) {  // "http://127.0.0.1:1234/b/k?q" → "/b/k?q"
    return url.substr(url.find('/', url.find("://") + 3));
}

struct Companion {
    Running& running;

    json create(const std::string& filename, const std::string& type = "video/mp4", json metadata = json::object()) {
        auto res = running.app->Post("/s3/multipart", json{{"filename", filename}, {"type", type}, {"metadata", metadata}}.dump(),
                                     "application/json");
        REQUIRE(res);
        INFO(res->body);
        REQUIRE(res->status == 200);
        return json::parse(res->body);
    }
    httplib::Result get(const std::string& path) { return running.app->Get(path.c_str()); }
    std::string route(const json& upload, const std::string& tail = "") {
        return "/s3/multipart/" + upload["uploadId"].get<std::string>() + tail + (tail.find('?') == std::string::npos ? "?" : "&") +
               "key=" + httplib::detail::encode_query_param(upload["key"].get<std::string>());
    }
    std::string put(const std::string& url, const std::string& bytes) {
        auto res = running.s3->Put(path_of_url(url).c_str(), bytes, "application/octet-stream");
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return res->get_header_value("ETag");
    }
};

// A store in the state a race leaves it in: the client uploaded part 1 again, bigger, between
// the Companion's ListParts and its Complete. ListParts still shows the 1-byte part ("small");
// Complete finds the bigger one ("big") and completes when asked for that ETag.
struct RacedStore {
    httplib::Server server;
    std::thread thread;
    int port = -1;
    std::atomic<int> completes{0};

    RacedStore() {
        server.Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
            if (request.has_param("uploads"))
                return response.set_content("<InitiateMultipartUploadResult><UploadId>raced</UploadId></InitiateMultipartUploadResult>",
                                            "application/xml");
            ++completes;
            if (request.body.find("big") != std::string::npos)
                return response.set_content("<CompleteMultipartUploadResult><Location>l</Location><Bucket>s3file</Bucket>"
                                            "<Key>k</Key><ETag>\"x-1\"</ETag></CompleteMultipartUploadResult>",
                                            "application/xml");
            response.status = 400;
            response.set_content("<Error><Code>InvalidPart</Code><Message>One or more of the specified parts could not be "
                                 "found.</Message></Error>",
                                 "application/xml");
        });
        server.Get(".*", [](const httplib::Request&, httplib::Response& response) {
            response.set_content("<ListPartsResult><IsTruncated>false</IsTruncated><Part><PartNumber>1</PartNumber>"
                                 "<Size>1</Size><ETag>\"small\"</ETag></Part></ListPartsResult>",
                                 "application/xml");
        });
        server.Delete(".*", [](const httplib::Request&, httplib::Response& response) { response.status = 204; });
        port = server.bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { server.listen_after_bind(); });
        for (int i = 0; i < 5000 && !server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~RacedStore() {
        server.stop();
        thread.join();
    }
};

}  // namespace

TEST_CASE("Companion complete checks the size of the very parts it completes, so a part sent again cannot pass --max-size") {
    RacedStore store;
    REQUIRE(store.port > 0);
    Running running(1024 * 1024, [&](ServerConfig& config) {
        config.s3_endpoint = "http://127.0.0.1:" + std::to_string(store.port);
        config.max_size_given = true;
    });
    Companion companion{running};
    const json upload = companion.create("raced.bin", "application/octet-stream");
    const auto complete = [&](const std::string& etag) {
        const json parts = {{"parts", {{{"PartNumber", 1}, {"ETag", etag}}}}};
        auto res = running.app->Post(companion.route(upload, "/complete").c_str(), parts.dump(), "application/json");
        REQUIRE(res);
        INFO(res->body);
        CHECK(res->status == 400);
        CHECK(json::parse(res->body)["code"] == "InvalidPart");
    };
    // The bigger part's ETag, which the listing that was sized does not show: refused here,
    // never sent to the store (before, the 1-byte listing passed the limit and the store
    // completed the bigger part: repro_multipart_size_race.py stored 10 MB + 1 under 10 MB).
    complete("\"big\"");
    CHECK(store.completes == 0);
    // The listed ETag: the store, which now holds another part 1, refuses to complete.
    complete("\"small\"");
    CHECK(store.completes == 1);
}

TEST_CASE("Companion routes: create, batch and single part URLs, list, complete, then /submit accepts the key") {
    Running running(64 * 1024 * 1024);
    Companion companion{running};
    const json upload = companion.create("dir/holiday.mp4");
    const std::string key = upload["key"];
    CHECK(key.rfind("tmp/s3file/", 0) == 0);
    CHECK(key.substr(key.rfind('/')) == "/holiday.mp4");  // the name's last segment only
    CHECK(upload["bucket"] == "s3file");
    CHECK(upload["signature"].get<std::string>().size() == 43);
    CHECK(upload_key_refusal("tmp/s3file", "test-secret-test-secret-test-secret!", key).empty());

    auto batch = companion.get(companion.route(upload, "/batch?partNumbers=1,2"));
    REQUIRE(batch);
    REQUIRE(batch->status == 200);
    const json urls = json::parse(batch->body)["presignedUrls"];
    REQUIRE(urls.size() == 2);
    const std::string part1 = pattern(kMinPartBytes, 'a'), part2 = pattern(777, 'b');
    const std::string etag1 = companion.put(urls["1"], part1);
    auto single = companion.get(companion.route(upload, "/2"));
    REQUIRE(single);
    REQUIRE(single->status == 200);
    const json signed_part = json::parse(single->body);
    CHECK(signed_part["expires"] == 3600);
    CHECK(signed_part["url"].get<std::string>().find("partNumber=2") != std::string::npos);
    const std::string etag2 = companion.put(signed_part["url"], part2);

    auto listed = companion.get(companion.route(upload));
    REQUIRE(listed);
    REQUIRE(listed->status == 200);
    CHECK(json::parse(listed->body) == json::array({{{"PartNumber", 1}, {"Size", part1.size()}, {"ETag", etag1}},
                                                    {{"PartNumber", 2}, {"Size", part2.size()}, {"ETag", etag2}}}));

    const json parts = {{"parts", {{{"PartNumber", 1}, {"ETag", etag1}}, {{"PartNumber", 2}, {"ETag", etag2}}}}};
    auto done = running.app->Post(companion.route(upload, "/complete").c_str(), parts.dump(), "application/json");
    REQUIRE(done);
    REQUIRE(done->status == 200);
    const json completed = json::parse(done->body);
    CHECK(completed["key"] == key);
    CHECK(completed["bucket"] == "s3file");
    CHECK(completed["location"].get<std::string>().find("/s3file/" + key) != std::string::npos);
    auto object = running.s3->Get(("/s3file/" + key).c_str());
    CHECK(object->body == part1 + part2);
    // The multipart ETag ("<md5 of the part MD5s>-2"), as the object's own ETag header says.
    CHECK(completed["etag"] == object->get_header_value("ETag"));
    CHECK(completed["etag"].get<std::string>().size() == 2 + 32 + 2);

    httplib::Params form{{"s3file", "doc"}, {"doc", key}, {"doc-s3f-signature", upload["signature"]}};
    auto submitted = running.app->Post("/submit", form);
    REQUIRE(submitted);
    CHECK(submitted->status == 201);
    CHECK(json::parse(submitted->body)["files"]["doc"][0]["size"] == part1.size() + part2.size());
}

TEST_CASE("Companion routes refuse keys they did not issue, and upload ids of another key") {
    Running running;
    Companion companion{running};
    const json upload = companion.create("a.bin", "application/octet-stream");
    const std::string id = upload["uploadId"];
    const auto status_of_list = [&](const std::string& key) {
        auto res = companion.get("/s3/multipart/" + id + "?key=" + httplib::detail::encode_query_param(key));
        REQUIRE(res);
        CHECK(json::parse(res->body).contains("error"));
        return res->status;
    };
    const std::string key = upload["key"];
    const std::string folder = key.substr(0, key.rfind('/'));
    CHECK(status_of_list("elsewhere/" + key.substr(11)) == 403);
    CHECK(status_of_list("tmp/s3file/0123456789abcdef0123456789abcdef-0123456789abcdef0123456789abcdef/a.bin") == 403);
    CHECK(status_of_list(folder + "/../x/a.bin") == 403);
    CHECK(status_of_list(folder + "/sub/a.bin") == 403);
    CHECK(status_of_list(folder) == 403);
    // Another signed key with this upload id: the store knows no such pair.
    const json other = companion.create("b.bin", "application/octet-stream");
    CHECK(status_of_list(other["key"]) == 404);
    auto res = companion.get("/s3/multipart/" + id + "/1?key=" + httplib::detail::encode_query_param(other["key"].get<std::string>()));
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(json::parse(res->body)["code"] == "NoSuchUpload");

    auto missing = companion.get("/s3/multipart/" + id);
    REQUIRE(missing);
    CHECK(missing->status == 400);
    CHECK(json::parse(missing->body)["error"] == "s3: the object key must be passed as a query parameter. For example: \"?key=abc.jpg\"");
    for (const char* bad : {"/0", "/10001", "/x", "/batch?partNumbers=1,0", "/batch?partNumbers=", "/batch"}) {
        INFO(bad);
        auto refused = companion.get(companion.route(upload, bad));
        REQUIRE(refused);
        CHECK(refused->status == 400);
    }
}

TEST_CASE("Companion create and complete apply --max-size and --accept") {
    Running running(6 * 1024 * 1024, [](ServerConfig& config) {
        config.accept = {"video/*"};
        config.max_size_given = true;
    });
    Companion companion{running};
    auto too_big = running.app->Post("/s3/multipart",
                                     json{{"filename", "big.mp4"}, {"type", "video/mp4"}, {"metadata", {{"size", 7 * 1024 * 1024}}}}.dump(),
                                     "application/json");
    REQUIRE(too_big);
    CHECK(too_big->status == 400);
    CHECK(json::parse(too_big->body)["code"] == "FileTooLarge");
    auto wrong_type = running.app->Post("/s3/multipart", json{{"filename", "a.pdf"}, {"type", "application/pdf"}}.dump(), "application/json");
    REQUIRE(wrong_type);
    CHECK(wrong_type->status == 400);
    CHECK(json::parse(wrong_type->body)["code"] == "TypeNotAccepted");
    auto no_type = running.app->Post("/s3/multipart", json{{"filename", "a.mp4"}}.dump(), "application/json");
    REQUIRE(no_type);
    CHECK(no_type->status == 400);
    CHECK(json::parse(no_type->body)["error"] == "s3: content type must be a string");

    // No size announced: Complete finds the parts too large, refuses and aborts the upload.
    const json upload = companion.create("clip.mp4");
    const json urls = json::parse(companion.get(companion.route(upload, "/batch?partNumbers=1,2"))->body)["presignedUrls"];
    const std::string e1 = companion.put(urls["1"], pattern(kMinPartBytes, 'x'));
    const std::string e2 = companion.put(urls["2"], pattern(2 * 1024 * 1024, 'y'));
    const json parts = {{"parts", {{{"PartNumber", 1}, {"ETag", e1}}, {{"PartNumber", 2}, {"ETag", e2}}}}};
    auto refused = running.app->Post(companion.route(upload, "/complete").c_str(), parts.dump(), "application/json");
    REQUIRE(refused);
    CHECK(refused->status == 400);
    CHECK(json::parse(refused->body)["code"] == "FileTooLarge");
    CHECK(companion.get(companion.route(upload))->status == 404);  // aborted
    CHECK(running.s3->Get(("/s3file/" + upload["key"].get<std::string>()).c_str())->status == 404);
    for (const char* bad : {"{}", "{\"parts\": []}", "{\"parts\": [{\"PartNumber\": \"1\", \"ETag\": \"x\"}]}", "[1]", "not json"}) {
        INFO(bad);
        const json other = companion.create("c.mp4");
        auto res = running.app->Post(companion.route(other, "/complete").c_str(), bad, "application/json");
        REQUIRE(res);
        CHECK(res->status == 400);
    }
}

TEST_CASE("Companion list follows every ListParts page; abort answers {} and removes the upload") {
    Running running;
    Companion companion{running};
    const json upload = companion.create("many.bin", "application/octet-stream");
    std::string numbers;
    for (int n = 1; n <= 1001; ++n) numbers += (n > 1 ? "," : "") + std::to_string(n);
    auto batch = companion.get(companion.route(upload, "/batch?partNumbers=" + numbers));
    REQUIRE(batch);
    REQUIRE(batch->status == 400);  // at most 1,000 URLs at once
    for (int from = 1; from <= 1001; from += 1000) {
        std::string chunk;
        for (int n = from; n <= std::min(from + 999, 1001); ++n) chunk += (n > from ? "," : "") + std::to_string(n);
        const json urls = json::parse(companion.get(companion.route(upload, "/batch?partNumbers=" + chunk))->body)["presignedUrls"];
        for (const auto& [number, url] : urls.items()) companion.put(url, number);
    }
    auto listed = companion.get(companion.route(upload));
    REQUIRE(listed);
    const json parts = json::parse(listed->body);
    REQUIRE(parts.size() == 1001);
    CHECK(parts[1000]["PartNumber"] == 1001);
    CHECK(parts[1000]["Size"] == 4);

    auto aborted = running.app->Delete(companion.route(upload).c_str());
    REQUIRE(aborted);
    CHECK(aborted->status == 200);
    CHECK(aborted->body == "{}");
    CHECK(companion.get(companion.route(upload))->status == 404);
}

TEST_CASE("Companion /s3/params issues a POST policy in a fresh signed folder") {
    Running running;
    auto res = running.app->Get("/s3/params?filename=photo.jpg&type=image/jpeg");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const json params = json::parse(res->body);
    CHECK(params["method"] == "POST");
    CHECK(params["expires"] == 3600);
    CHECK(params["url"].get<std::string>().find("/s3file") != std::string::npos);
    CHECK(params["fields"]["key"].get<std::string>().rfind("tmp/s3file/", 0) == 0);
    CHECK(params["fields"]["Content-Type"] == "image/jpeg");
    auto stored = running.upload(params, "photo.jpg", "jpeg bytes");
    REQUIRE(stored);
    CHECK(stored->status == 201);
    CHECK(running.app->Get("/s3/params?type=image/jpeg")->status == 400);
}

TEST_CASE("Companion /s3/params names a concrete key, as Companion does: Uppy 6 refuses ${filename}") {
    Running running;
    auto res = running.app->Get("/s3/params?filename=dir%2Fmy%20photo.jpg&type=image/jpeg");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const json params = json::parse(res->body);
    const std::string key = params["fields"]["key"];
    CHECK(key.find("${filename}") == std::string::npos);
    CHECK(key.rfind("tmp/s3file/", 0) == 0);
    CHECK(key.size() > std::string("/my photo.jpg").size());
    CHECK(key.compare(key.size() - 13, 13, "/my photo.jpg") == 0);  // the name after its last '/'
    auto stored = running.upload(params, "other name.jpg", "jpeg bytes");  // the key holds, whatever the file is called
    REQUIRE(stored);
    CHECK(stored->status == 201);
    CHECK(stored->body.find("<Key>" + key + "</Key>") != std::string::npos);
    CHECK(running.app->Get("/s3/params?filename=%2F&type=image/jpeg")->status == 400);  // no name left
}
