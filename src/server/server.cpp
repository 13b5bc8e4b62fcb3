#include "server.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>

#include <nlohmann/json.hpp>

#include "http/body_framing.hpp"
#include "http/http_util.hpp"

namespace s3file::server {

namespace {
thread_local std::chrono::steady_clock::time_point request_start;

// Browsers keep connections alive across many uploads; cpp-httplib closes after 5 by default.
constexpr std::size_t kKeepAliveRequests = 1000;
// A browser uploading on a slow link may pause longer than cpp-httplib's 5 s default.
constexpr int kReadTimeoutSeconds = 60;
// The app port buffers /submit bodies (the no-JavaScript fallback posts files there).
constexpr std::size_t kMaxAppBody = 256ull * 1024 * 1024;
// S3's largest POST Object is 5 GiB; the form fields before the file add at most 20 KB and
// the multipart framing a little: anything longer is refused before a byte is read.
constexpr std::size_t kMaxStorageBody = 5ull * 1024 * 1024 * 1024 + 1024 * 1024;

// The message for an error cpp-httplib answered itself, with an empty body.
const char* app_error_message(int status) {
    switch (status) {
    case 400: return "The request could not be read: malformed HTTP, or a form of more than 1,024 parts.";
    case 404: return "Not found.";
    case 405: return "Method not allowed.";
    case 413: return "The request is too large: url-encoded forms are limited to 8,192 bytes, other bodies to 256 MiB.";
    case 414: return "The URL is too long (8,192 bytes at most).";
    case 416: return "The requested range is not satisfiable.";
    default: return status >= 500 ? "The server could not handle this request." : "The request was refused.";
    }
}

S3Failure s3_error_for(const httplib::Request& request, int status) {
    if (status == 400 && request.method == "POST") return malformed_post_request();  // cpp-httplib could not read the form
    switch (status) {
    case 404: return s3_failure(404, "NoSuchBucket", "The specified bucket does not exist.");
    case 405: return s3_failure(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    case 413: return s3_failure(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
    case 414: return s3_failure(400, "InvalidURI", "Couldn't parse the specified URI.");
    case 416: return s3_failure(416, "InvalidRange", "The requested range is not satisfiable");  // a Range cpp-httplib could not parse
    default:
        if (status >= 500) return s3_failure(500, "InternalError", "We encountered an internal error. Please try again.");
        return s3_failure(400, "InvalidRequest", "The request could not be read.");
    }
}

// The app port's answer to a body it does not take (check_body_framing).
void answer_app_framing(const httplib::Request&, BodyFraming framing, httplib::Response& response) {
    const auto answer = [&](int status, const char* message) {
        response.status = status;
        response.set_content(nlohmann::json{{"error", message}}.dump(), "application/json");
    };
    switch (framing) {
    case BodyFraming::LengthRequired:
        return answer(411, "The request body needs a Content-Length header; chunked bodies (Transfer-Encoding) are not accepted.");
    case BodyFraming::BadLength: return answer(400, "The Content-Length headers disagree, or one is not a number.");
    case BodyFraming::TooLarge: return answer(413, app_error_message(413));
    case BodyFraming::Encoded: return answer(415, "Compressed request bodies (Content-Encoding) are not accepted.");
    case BodyFraming::UnreadBody: return answer(400, "This method takes no request body.");
    case BodyFraming::Accepted: break;
    }
}

// The storage port's: S3's own answers where S3 has one (411 MissingContentLength; 400
// EntityTooLarge at once, where cpp-httplib would read and drop the whole body first). S3
// stores a Content-Encoding body as sent, with the header as metadata; the emulator keeps
// neither, so it says it does not implement it rather than store other bytes than were sent.
void answer_s3_framing(const httplib::Request& request, BodyFraming framing, httplib::Response& response) {
    switch (framing) {
    case BodyFraming::LengthRequired:
        return send_s3_error(response, s3_failure(411, "MissingContentLength", "You must provide the Content-Length HTTP header."));
    case BodyFraming::BadLength:
        return send_s3_error(response, s3_failure(400, "InvalidRequest", "The Content-Length headers disagree, or one is not a number."));
    case BodyFraming::TooLarge: return send_s3_error(response, s3_error_for(request, 413));
    case BodyFraming::Encoded: {
        S3Failure failure = s3_failure(501, "NotImplemented", "A header you provided implies functionality that is not implemented.");
        failure.extra.emplace_back("Header", "Content-Encoding");
        return send_s3_error(response, failure);
    }
    case BodyFraming::UnreadBody:
        return send_s3_error(response, s3_failure(400, "InvalidRequest", "This method takes no request body."));
    case BodyFraming::Accepted: break;
    }
}

using FramingAnswer = void (*)(const httplib::Request&, BodyFraming, httplib::Response&);

// Refuses a body framed any other way than by one Content-Length within `max_body`, once the
// headers are read and before a byte of the body is. The connection closes after the answer:
// the unread body must never be taken for the next request.
httplib::Server::HandlerWithResponse body_framing_guard(std::uint64_t max_body, FramingAnswer answer) {
    return [max_body, answer](const httplib::Request& request, httplib::Response& response) {
        const BodyFraming framing = check_body_framing(request, max_body);
        if (framing == BodyFraming::Accepted) return httplib::Server::HandlerResponse::Unhandled;
        answer(request, framing, response);
        response.set_header("Connection", "close");
        GuardedServer::close_after_response();
        return httplib::Server::HandlerResponse::Handled;
    };
}

// The same guard on `Expect: 100-continue` (cpp-httplib asks before routing): a refused client
// is told so instead of "100 Continue", and never sends the body. cpp-httplib writes that
// answer without routing it, so without a Content-Length either: it is set here.
void install_body_framing_guard(GuardedServer& server, const std::string& label, std::uint64_t max_body,
                                FramingAnswer answer) {
    const auto guard = body_framing_guard(max_body, answer);
    install_request_log(server, label, guard);
    server.set_expect_100_continue_handler([guard](const httplib::Request& request, httplib::Response& response) {
        request_start = std::chrono::steady_clock::now();  // for the log line
        if (guard(request, response) == httplib::Server::HandlerResponse::Unhandled) return 100;
        response.set_header("Content-Length", std::to_string(response.body.size()));
        return response.status;
    });
}

void log_exception(const httplib::Request& request, std::exception_ptr exception) {
    std::string what = "unknown exception";
    try {
        if (exception) std::rethrow_exception(exception);
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "s3file-server: %s %s failed: %s\n", request.method.c_str(), request.path.c_str(), what.c_str());
}

}  // namespace

void install_app_error_pages(httplib::Server& server) {
    server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& response) {
        if (!response.body.empty() || response.has_header("Content-Length")) return httplib::Server::HandlerResponse::Unhandled;
        response.set_content(nlohmann::json{{"error", app_error_message(response.status)}}.dump(), "application/json");
        return httplib::Server::HandlerResponse::Handled;
    }));
    server.set_exception_handler([](const httplib::Request& request, httplib::Response& response, std::exception_ptr e) {
        log_exception(request, e);
        response = httplib::Response();
        response.status = 500;
        response.set_content(nlohmann::json{{"error", app_error_message(500)}}.dump(), "application/json");
    });
}

void install_s3_error_pages(httplib::Server& server) {
    server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty() || response.has_header("Content-Length")) return httplib::Server::HandlerResponse::Unhandled;
        send_s3_error(response, s3_error_for(request, response.status));
        return httplib::Server::HandlerResponse::Handled;
    }));
    server.set_exception_handler([](const httplib::Request& request, httplib::Response& response, std::exception_ptr e) {
        log_exception(request, e);
        response = httplib::Response();
        send_s3_error(response, s3_error_for(request, 500));
    });
}

void install_request_log(httplib::Server& server, const std::string& label,
                         httplib::Server::HandlerWithResponse before) {
    server.set_pre_routing_handler([before](const httplib::Request& request, httplib::Response& response) {
        request_start = std::chrono::steady_clock::now();
        // cpp-httplib 0.11 applies a Range header to whatever a route answers (/form, an error
        // page), 700 overlapping ranges as 700 copies, and gets ranges past the end wrong; only
        // send_file serves ranges, chosen as S3 does (byte_range.hpp). The request is
        // cpp-httplib's own non-const object, handed to handlers as const, so clearing is defined.
        const_cast<httplib::Request&>(request).ranges.clear();
        return before ? before(request, response) : httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_logger([label](const httplib::Request& request, const httplib::Response& response) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - request_start).count();
        const std::string in = request.get_header_value("Content-Length");
        const std::string out = response.get_header_value("Content-Length");
        std::printf("%s %s %s %d in=%sB out=%sB %lldms\n", label.c_str(), request.method.c_str(),
                    request.path.c_str(), response.status, in.empty() ? "0" : in.c_str(),
                    out.empty() ? std::to_string(response.body.size()).c_str() : out.c_str(),
                    static_cast<long long>(ms));
        std::fflush(stdout);
    });
}

S3FileServer::S3FileServer(ServerConfig config, Credentials credentials)
    : config_(std::move(config)), credentials_(std::move(credentials)) {}

S3FileServer::~S3FileServer() { stop(); }

bool S3FileServer::start(std::string& error) {
    IssuerConfig issuer;
    issuer.bucket = config_.bucket;
    issuer.region = config_.region;
    issuer.credentials = credentials_;
    issuer.upload_prefix = config_.upload_prefix;
    issuer.max_size = config_.max_size;
    issuer.accept = config_.accept;
    issuer.expires_seconds = config_.expires;
    issuer.secret = config_.secret;

    app_server_.set_limits(config_.app_limits);
    s3_server_.set_limits(config_.storage_limits);
    for (httplib::Server* server : {&app_server_, &s3_server_}) {
        // Small answers go out at once: without it Nagle's algorithm and the client's delayed
        // ACK cost ~40 ms per request on a kept-alive connection (measured: p50 44 ms → 2.5 ms).
        server->set_tcp_nodelay(true);
        server->set_keep_alive_max_count(kKeepAliveRequests);
        server->set_read_timeout(kReadTimeoutSeconds, 0);
    }
    app_server_.set_payload_max_length(kMaxAppBody);
    s3_server_.set_payload_max_length(kMaxStorageBody);
    install_app_error_pages(app_server_);
    install_s3_error_pages(s3_server_);
    install_body_framing_guard(app_server_, "app", kMaxAppBody, answer_app_framing);
    install_body_framing_guard(s3_server_, "s3 ", kMaxStorageBody, answer_s3_framing);

    if (emulating()) {
        try {
            store_ = std::make_unique<ObjectStore>(config_.storage);
            uploads_ = std::make_unique<MultipartStore>(*store_, config_.multipart_expiry, std::time(nullptr));
        } catch (const std::exception& e) {
            error = "cannot use --storage " + config_.storage + ": " + e.what();
            return false;
        }
        emulator_ = std::make_unique<S3Emulator>(BucketConfig{config_.bucket, config_.region, credentials_}, *store_,
                                                 *uploads_, faults_);
        emulator_->install(s3_server_);
        s3_port_ = config_.s3_port == 0 ? s3_server_.bind_to_any_port(config_.bind)
                                        : (s3_server_.bind_to_port(config_.bind, config_.s3_port) ? config_.s3_port : -1);
        if (s3_port_ < 0) {
            error = "cannot listen on " + config_.bind + ":" + std::to_string(config_.s3_port) + " (storage port)";
            return false;
        }
    }
    app_ = std::make_unique<App>(config_, issuer, store_.get(), faults_, s3_port_);
    app_->install(app_server_);
    app_port_ = config_.port == 0 ? app_server_.bind_to_any_port(config_.bind)
                                  : (app_server_.bind_to_port(config_.bind, config_.port) ? config_.port : -1);
    if (app_port_ < 0) {
        error = "cannot listen on " + config_.bind + ":" + std::to_string(config_.port) + " (app port)";
        s3_server_.stop();
        return false;
    }
    app_server_.raise_listen_backlog();
    if (emulating()) s3_server_.raise_listen_backlog();
    if (emulating()) s3_thread_ = std::thread([this] { s3_server_.listen_after_bind(); });
    app_thread_ = std::thread([this] { app_server_.listen_after_bind(); });
    // stop() only stops a server whose accept loop runs: wait for both loops (bounded).
    for (int i = 0; i < 5000 && !(app_server_.is_running() && (!emulating() || s3_server_.is_running())); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return true;
}

void S3FileServer::stop() {
    faults_.shutdown();  // wake stalled requests so the workers can finish
    app_server_.stop();
    s3_server_.stop();
    if (app_thread_.joinable()) app_thread_.join();
    if (s3_thread_.joinable()) s3_thread_.join();
}

}  // namespace s3file::server
