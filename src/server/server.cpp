#include "server.hpp"

#include <chrono>
#include <cstdio>

namespace s3file::server {

namespace {
thread_local std::chrono::steady_clock::time_point request_start;

// Browsers keep connections alive across many uploads; cpp-httplib closes after 5 by default.
constexpr std::size_t kKeepAliveRequests = 1000;
// A browser uploading on a slow link may pause longer than cpp-httplib's 5 s default.
constexpr int kReadTimeoutSeconds = 60;
// The app port buffers /submit bodies (the no-JavaScript fallback posts files there).
constexpr std::size_t kMaxAppBody = 256ull * 1024 * 1024;
}  // namespace

void install_request_log(httplib::Server& server, const std::string& label) {
    server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
        request_start = std::chrono::steady_clock::now();
        return httplib::Server::HandlerResponse::Unhandled;
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

    for (httplib::Server* server : {&app_server_, &s3_server_}) {
        server->set_keep_alive_max_count(kKeepAliveRequests);
        server->set_read_timeout(kReadTimeoutSeconds, 0);
    }
    app_server_.set_payload_max_length(kMaxAppBody);
    install_request_log(app_server_, "app");
    install_request_log(s3_server_, "s3 ");

    if (emulating()) {
        try {
            store_ = std::make_unique<ObjectStore>(config_.storage);
        } catch (const std::exception& e) {
            error = "cannot use --storage " + config_.storage + ": " + e.what();
            return false;
        }
        emulator_ = std::make_unique<S3Emulator>(BucketConfig{config_.bucket, config_.region, credentials_}, *store_, faults_);
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
