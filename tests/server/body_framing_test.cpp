// Request bodies framed any other way than by one Content-Length: compressed, chunked, without
// a length, with two lengths, or on a method whose body is never read. Each is refused on both
// ports once its headers are in, before a byte of its body is read, and the connection closes,
// so nothing hidden in the body runs as a request of its own (request smuggling).
#include "server/raw_client.hpp"
#include "server/server_fixture.hpp"

namespace {

// Every wait is bounded: a server that waits for a body that never comes fails the test.
constexpr int kWaitMs = 5000;

// The responses in `data`, each its head and Content-Length bytes of body.
std::vector<std::string> split_responses(const std::string& data) {
    std::vector<std::string> responses;
    for (std::size_t at = 0; at < data.size();) {
        const std::size_t head_end = data.find("\r\n\r\n", at);
        if (head_end == std::string::npos) {
            responses.push_back(data.substr(at));
            break;
        }
        std::string head = data.substr(at, head_end - at);
        for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const std::size_t length_at = head.find("\r\ncontent-length:");
        const std::size_t length = length_at == std::string::npos ? 0 : std::stoul(head.substr(length_at + 17));
        const std::size_t end = std::min(data.size(), head_end + 4 + length);
        responses.push_back(data.substr(at, end - at));
        at = end;
    }
    return responses;
}

// Sends `bytes` on a fresh connection and reads until the server closes (a bounded number of
// reads): one answer means nothing in the bytes was taken for a second request.
std::vector<std::string> exchange(int port, const std::string& bytes) {
    RawClient client(port, kWaitMs);
    REQUIRE(client.connected());
    client.send(bytes);
    std::string data;
    for (int i = 0; i < 4; ++i) {
        const std::string more = client.read_response();
        if (more.empty()) break;
        data += more;
    }
    return split_responses(data);
}

// Exactly one answer, with this status, and the connection closed after it.
void check_refused(const std::vector<std::string>& answers, int status) {
    for (const std::string& answer : answers) UNSCOPED_INFO(answer.substr(0, 600));
    REQUIRE(answers.size() == 1);
    CHECK(status_of(answers[0]) == status);
    CHECK_FALSE(has_header(answers[0], "EXCEPTION_WHAT"));
}

void check_app_refused(const std::vector<std::string>& answers, int status) {
    check_refused(answers, status);
    CHECK_FALSE(json::parse(body_of(answers[0]))["error"].get<std::string>().empty());
}

void check_s3_refused(const std::vector<std::string>& answers, int status, const std::string& code) {
    check_refused(answers, status);
    CHECK(xml_text(body_of(answers[0]), "Code") == code);
}

const std::string kPolicyHead = "POST /api/policy HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
const std::string kHidden = "GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

// A presigned UploadPart URL's path, through the Companion routes.
std::string part_path(Running& r, json& upload) {
    auto created = r.app->Post("/s3/multipart", json{{"filename", "a.bin"}, {"type", "application/octet-stream"}}.dump(),
                               "application/json");
    REQUIRE(created);
    INFO(created->body);
    REQUIRE(created->status == 200);
    upload = json::parse(created->body);
    const std::string key = httplib::detail::encode_query_param(upload["key"].get<std::string>());
    auto signed_part = r.app->Get(("/s3/multipart/" + upload["uploadId"].get<std::string>() + "/1?key=" + key).c_str());
    REQUIRE(signed_part);
    REQUIRE(signed_part->status == 200);
    const std::string url = json::parse(signed_part->body)["url"];
    return url.substr(url.find('/', url.find("://") + 3));
}

std::size_t parts_listed(Running& r, const json& upload) {
    const std::string key = httplib::detail::encode_query_param(upload["key"].get<std::string>());
    auto listed = r.app->Get(("/s3/multipart/" + upload["uploadId"].get<std::string>() + "?key=" + key).c_str());
    REQUIRE(listed);
    REQUIRE(listed->status == 200);
    return json::parse(listed->body).size();
}

}  // namespace

TEST_CASE("body framing: a compressed request body is refused before it is read or inflated") {
    Running r;
    // A gzip bomb to /api/policy grew the process to 3 GiB: cpp-httplib inflated it without a cap.
    check_app_refused(exchange(r.server->app_port(), kPolicyHead + "Content-Encoding: gzip\r\nContent-Length: 1000\r\n\r\n"), 415);
    check_app_refused(exchange(r.server->app_port(), kPolicyHead + "Content-Encoding: br\r\nContent-Length: 1000\r\n\r\n"), 415);
    check_app_refused(exchange(r.server->app_port(), "POST /submit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                                     "application/x-www-form-urlencoded\r\nContent-Encoding: deflate\r\n"
                                                     "Content-Length: 1000\r\n\r\n"),
                      415);

    // On the storage port a gzip part was stored inflated, past the 5 GiB part bound.
    json upload;
    const std::string path = part_path(r, upload);
    check_s3_refused(exchange(r.server->s3_port(), "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Encoding: gzip\r\n"
                                                   "Content-Length: 1000\r\n\r\n"),
                     501, "NotImplemented");
    CHECK(parts_listed(r, upload) == 0);

    // What browsers send still passes, `identity` (no coding) included.
    const std::string body = json{{"name", "a.txt"}, {"size", 1}, {"type", "text/plain"}, {"field", "doc"}}.dump();
    const auto answers = exchange(r.server->app_port(), kPolicyHead + "Content-Encoding: identity\r\nConnection: close\r\n"
                                                        "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    REQUIRE(answers.size() == 1);
    CHECK(status_of(answers[0]) == 200);
}

TEST_CASE("body framing: chunked bodies and POST/PUT without a length get 411 at once") {
    Running r;
    // 300 MiB chunked to /api/policy got 200: chunked bodies skipped the 256 MiB limit.
    check_app_refused(exchange(r.server->app_port(), kPolicyHead + "Transfer-Encoding: chunked\r\n\r\n"), 411);
    // Without a length cpp-httplib read until the slow-body cut-off, 20 s later.
    check_app_refused(exchange(r.server->app_port(), kPolicyHead + "\r\n"), 411);
    check_app_refused(exchange(r.server->app_port(), "PUT /s3/multipart HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 411);
    // A client that asks before sending is told at once instead of "100 Continue".
    check_app_refused(exchange(r.server->app_port(), kPolicyHead + "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"),
                      411);

    check_s3_refused(exchange(r.server->s3_port(), "POST /s3file HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                                                   "Content-Type: multipart/form-data; boundary=b\r\n\r\n"),
                     411, "MissingContentLength");
    json upload;
    const std::string path = part_path(r, upload);
    check_s3_refused(exchange(r.server->s3_port(), "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 411,
                     "MissingContentLength");
    check_s3_refused(exchange(r.server->s3_port(), "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
                     411, "MissingContentLength");
    CHECK(parts_listed(r, upload) == 0);

    // An empty body with its length is no refusal: the route answers it.
    const auto empty = exchange(r.server->app_port(), kPolicyHead + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    REQUIRE(empty.size() == 1);
    CHECK(status_of(empty[0]) == 400);
    CHECK(json::parse(body_of(empty[0]))["error"].get<std::string>().find("Content-Length") == std::string::npos);
}

TEST_CASE("body framing: a request framed two ways is refused, and what it hides never runs") {
    Running r;
    const std::string hidden_length = std::to_string(kHidden.size());
    // Two lengths: cpp-httplib took the first (0) and ran the hidden request (204).
    check_app_refused(exchange(r.server->app_port(), kPolicyHead + "Content-Length: 0\r\nContent-Length: " + hidden_length +
                                                         "\r\n\r\n" + kHidden),
                      400);
    // A Transfer-Encoding cpp-httplib does not take as chunked: it framed by Content-Length.
    for (const char* coding : {"gzip, chunked", "xchunked", "chunked"}) {
        INFO(coding);
        check_app_refused(exchange(r.server->app_port(), kPolicyHead + "Transfer-Encoding: " + coding + "\r\nContent-Length: " +
                                                             hidden_length + "\r\n\r\n" + kHidden),
                          411);
    }
    // Lengths that are not 1*DIGIT (RFC 9110 §8.6).
    for (const char* length : {"+5", "5, 5", "-1", "0x10", "99999999999999999999999"}) {
        INFO(length);
        check_app_refused(exchange(r.server->app_port(), kPolicyHead + "Content-Length: " + length + "\r\n\r\n"), 400);
    }
    // A GET's body is never read: it was taken for the next request.
    check_app_refused(exchange(r.server->app_port(), "GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                                                         hidden_length + "\r\n\r\n" + kHidden),
                      400);

    check_s3_refused(exchange(r.server->s3_port(), "POST /s3file HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                                                   "Content-Length: " + hidden_length + "\r\n\r\n" + kHidden),
                     400, "InvalidRequest");
    check_s3_refused(exchange(r.server->s3_port(), "POST /s3file HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: xchunked\r\n"
                                                   "Content-Length: " + hidden_length + "\r\n\r\n" + kHidden),
                     411, "MissingContentLength");

    // A plain request on a kept-alive connection still gets its answer, then the next one's.
    const auto kept = exchange(r.server->app_port(), kHidden + "GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    REQUIRE(kept.size() == 2);
    CHECK(status_of(kept[0]) == 204);
    CHECK(status_of(kept[1]) == 204);
}

TEST_CASE("body framing: a declared oversize body gets 413 at once on the app port too") {
    Running r;
    // 256 MiB + 1: cpp-httplib read and dropped all of it before answering.
    check_app_refused(exchange(r.server->app_port(), kPolicyHead + "Content-Length: 268435457\r\n\r\n"), 413);
}
