// The whole s3file server: app port and (in emulator mode) storage port, each a cpp-httplib
// server on its own thread. Used by main() and by the tests (ephemeral ports).
#pragma once

#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include "app.hpp"
#include "config.hpp"
#include "credentials.hpp"
#include "faults.hpp"
#include "object_store.hpp"
#include "s3_emulator.hpp"

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
    std::unique_ptr<S3Emulator> emulator_;
    std::unique_ptr<App> app_;
    httplib::Server app_server_;
    httplib::Server s3_server_;
    std::thread app_thread_;
    std::thread s3_thread_;
    int app_port_ = -1;
    int s3_port_ = -1;
};

/// Installs the per-request log line (method, path, status, bytes, ms) on a server.
void install_request_log(httplib::Server& server, const std::string& label);

}  // namespace s3file::server
