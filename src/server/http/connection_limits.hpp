// How long and how slowly a client may take over a request before the server cuts it; see
// GuardedServer. Plain data so the configuration does not depend on the HTTP library.
#pragma once

#include <cstddef>
#include <cstdint>

namespace s3file::server {

struct ConnectionLimits {
    /// From a request's first byte to the end of its headers. A browser sends them in one
    /// packet; 10 s leaves room for a congested mobile link.
    double header_seconds = 10;
    /// Request line plus headers; cpp-httplib caps each line at 8 KB but not their number.
    std::size_t max_header_bytes = 64 * 1024;
    /// While the server waits for a body, the client must send at least this much on average
    /// over each window of waiting. S3 answers 400 RequestTimeout to a socket idle ~20 s; a
    /// 2G phone link still does ~10 KB/s, so 1 KiB/s cuts only what is no upload at all.
    std::uint64_t min_body_bytes_per_second = 1024;
    double body_window_seconds = 20;
    /// Worker threads; each connection holds one while it is served.
    std::size_t threads = 16;
};

}  // namespace s3file::server
