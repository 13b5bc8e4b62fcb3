// The whole s3file server: app port and (in emulator mode) storage port, each a cpp-httplib
// server on its own thread. Used by main() and by the tests (ephemeral ports).
#pragma once

#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include "app/app.hpp"
#include "config.hpp"
#include "signing/credentials.hpp"
#include "emulator/faults.hpp"
#include "http/guarded_server.hpp"
#include "emulator/multipart_store.hpp"
#include "emulator/object_store.hpp"
#include "emulator/s3_emulator.hpp"

namespace s3file::server {

class S3FileServer {
public:
    /// `credentials` sign policies (and verify uploads in emulator mode).
    S3FileServer(ServerConfig config, Credentials credentials);
    ~S3FileServer();
    /// Binds both ports and starts serving; false with a message on failure.
    bool start(std::string& error);
    void stop();
    int app_port() const { return app_port_; }
    int s3_port() const { return s3_port_; }
    bool emulating() const { return config_.s3_endpoint.empty(); }
    FaultPlan& faults() { return faults_; }
    const ServerConfig& config() const { return config_; }

private:
    ServerConfig config_;
    Credentials credentials_;
    FaultPlan faults_;
    std::unique_ptr<ObjectStore> store_;
    std::unique_ptr<MultipartStore> uploads_;
    std::unique_ptr<S3Emulator> emulator_;
    std::unique_ptr<App> app_;
    GuardedServer app_server_;
    GuardedServer s3_server_;
    std::thread app_thread_;
    std::thread s3_thread_;
    int app_port_ = -1;
    int s3_port_ = -1;
};

/// Installs the per-request log line (method, path, status, bytes, ms) on a server, and
/// `before`, if given, as the pre-routing check (it runs once the headers are read). Before
/// routing it also drops cpp-httplib's parsed Range: only send_file serves ranges.
void install_request_log(httplib::Server& server, const std::string& label,
                         httplib::Server::HandlerWithResponse before = nullptr);

/// App port: errors without a body (cpp-httplib's own 400/413/414, unknown routes) get a JSON
/// message; an exception escaping a handler becomes a 500 with a generic message, its text
/// only in the server's log.
void install_app_error_pages(httplib::Server& server);
/// Storage port: the same, in S3's XML error shape.
void install_s3_error_pages(httplib::Server& server);

}  // namespace s3file::server
