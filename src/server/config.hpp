// Command-line configuration of the s3file server.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "http/connection_limits.hpp"

namespace s3file::server {

struct ServerConfig {
    int port = 8080;
    int s3_port = -1;  ///< default: port + 1 (0 for both: ephemeral ports, printed at start)
    std::string bind = "127.0.0.1";
    std::string storage = "s3file-storage";
    std::string bucket = "s3file";
    std::string region = "us-east-1";
    std::string upload_prefix = "tmp/s3file";
    std::uint64_t max_size = 5ull * 1024 * 1024 * 1024;  // S3's single-POST limit (5 GB)
    bool max_size_given = false;  ///< --max-size given: it bounds multipart uploads too
    /// The largest multipart object: --max-size when given, else S3's 5 TiB object limit.
    std::uint64_t multipart_max_size() const { return max_size_given ? max_size : 5ull << 40; }
    std::vector<std::string> accept;
    std::int64_t expires = 3600;  // seconds; boto3's default ExpiresIn
    /// Incomplete multipart uploads are removed after this long (a day, like a typical
    /// AbortIncompleteMultipartUpload lifecycle rule).
    std::int64_t multipart_expiry = 24 * 3600;
    std::string secret;           // form-signing secret; random when empty
    std::string s3_endpoint;      // real S3 (or compatible) endpoint: no emulation
    std::string web_root;         // dist/ with the widget and demo; default beside the executable
    /// Slow-client guards and thread pools. Storage: uploads are long-lived and a browser opens
    /// 6 connections per host (HTTP/1.1), so 64 threads serve ~10 uploading browsers at once;
    /// more wait in the accept queue. App: short requests, and a reverse proxy in production.
    ConnectionLimits app_limits{};
    ConnectionLimits storage_limits = [] {
        ConnectionLimits limits;
        limits.threads = 64;
        return limits;
    }();
    bool check_deploy = false;
    bool help = false;
};

/// Parses argv; on a bad flag returns false with a message in `error`.
bool parse_args(int argc, char** argv, ServerConfig& config, std::string& error);

/// --help text.
std::string usage();

/// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback(const std::string& address);

/// True for a loopback address written out (127.0.0.0/8, ::1, bracketed or not) or `localhost`,
/// without a lookup: for names a client sends (a Host header), where a name that resolves to
/// loopback is what a DNS-rebinding page uses.
bool is_loopback_literal(const std::string& host);

/// Problems that make this configuration unfit for deployment (empty when fine).
std::vector<std::string> deploy_problems(const ServerConfig& config, bool secret_from_flag);

}  // namespace s3file::server
