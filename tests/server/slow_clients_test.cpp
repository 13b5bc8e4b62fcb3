// Slow and half-closed clients: a trickle of header bytes, a body slower than the minimum
// rate, and a client that closes its sending side after the request. None may hold a worker
// thread for long or go unanswered. The limits are shortened here so the test runs quickly;
// each client's trickle is bounded, so a server that never cuts it fails the test.
#include <atomic>
#include <thread>

#include "server/multipart_body.hpp"
#include "server/raw_client.hpp"
#include "server/server_fixture.hpp"

namespace {

void quick_limits(ServerConfig& config) {
    for (ConnectionLimits* limits : {&config.app_limits, &config.storage_limits}) {
        limits->threads = 8;
        limits->header_seconds = 1;
        limits->body_window_seconds = 1;
        limits->min_body_bytes_per_second = 1024;
    }
}

// Sends `head` then one byte every 100 ms, at most `bytes` of them; true if the server cut
// the connection (or answered) before the trickle ran out.
bool trickle_until_cut(int port, const std::string& head, int bytes) {
    RawClient client(port, 2000);
    if (!client.send(head)) return true;
    for (int i = 0; i < bytes; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (client.server_spoke() || !client.send("X")) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("slow clients: 8 header tricklers per port are cut and the ports keep serving") {
    Running r(1024 * 1024, quick_limits);
    std::atomic<int> cut{0};
    std::vector<std::thread> slow;
    for (int port : {r.server->app_port(), r.server->s3_port()})
        for (int i = 0; i < 8; ++i)
            slow.emplace_back([&, port] { cut += trickle_until_cut(port, "POST /s3file HTTP/1.1\r\nHost: x\r\nX-Slow: ", 100); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let them take every worker
    r.app->set_read_timeout(20, 0);
    r.s3->set_read_timeout(20, 0);
    const json policy = r.policy("ok.txt", 2);
    auto res = r.upload(policy, "ok.txt", "ok");
    REQUIRE(res);
    CHECK(res->status == 201);
    for (auto& thread : slow) thread.join();
    CHECK(cut == 16);
}

TEST_CASE("slow clients: a body slower than the minimum rate gets S3's RequestTimeout") {
    Running r(1024 * 1024, quick_limits);
    const json policy = r.policy("slow.txt", 100000);
    auto parts = policy_parts(policy);
    const std::string fields = multipart_body(parts);
    const std::string start = fields.substr(0, fields.rfind("--" + std::string(kBoundary) + "--")) +
                              "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.txt\"\r\n\r\n";
    RawClient client(r.server->s3_port());
    REQUIRE(client.send(post_head("/s3file", start.size() + 100000) + start));
    std::string response;
    for (int i = 0; i < 100 && response.empty(); ++i) {  // 100 bytes a second, at most 10 s
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (client.server_spoke() || !client.send(std::string(10, 'y'))) response = client.read_response();
    }
    INFO(response);
    CHECK(status_of(response) == 400);
    CHECK(xml_text(body_of(response), "Code") == "RequestTimeout");
    CHECK(r.files_in_storage() == 0);
}

TEST_CASE("slow clients: a client that half-closes after its request still gets the answer") {
    Running r;
    RawClient get(r.server->app_port());
    get.send("GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    get.half_close();
    CHECK(status_of(get.read_response()) == 204);

    const std::string body = R"({"name": "a.txt", "size": 1})";
    RawClient post(r.server->app_port());
    post.send("POST /api/policy HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\n\r\n" + body);
    post.half_close();
    const std::string response = post.read_response();
    CHECK(status_of(response) == 200);
    CHECK(json::parse(body_of(response))["fields"].contains("policy"));
}
