// cpp-httplib's server with connection guards it lacks: a total deadline for a request's
// headers, a cap on their size, a minimum body rate, and a deliberate thread count.
//
// cpp-httplib's read timeout restarts with every byte, so a client sending a byte a second
// holds a worker thread for ever (slowloris); enough of them block a port. cpp-httplib keeps
// parsing and routing; only the connection loop and the socket stream are ours, so that
// reads can see which phase of a request they serve. The stream also answers a client that
// half-closed its side after sending (cpp-httplib's own peeks, sees EOF and never replies).
#pragma once

#include <httplib.h>

#include "http/connection_limits.hpp"

namespace s3file::server {

class GuardedServer : public httplib::Server {
public:
    explicit GuardedServer(ConnectionLimits limits = {});
    void set_limits(const ConnectionLimits& limits);
    const ConnectionLimits& limits() const { return limits_; }

    /// True when the connection being served on this thread was cut for sending its body
    /// slower than the minimum rate (a handler then answers S3's RequestTimeout).
    static bool body_too_slow();
    /// Closes the connection being served on this thread once its response is written (its
    /// unread body is not read: an early refusal).
    static void close_after_response();

    /// Call after binding: cpp-httplib 0.11 listens with a backlog of 5, so a burst of
    /// connections (a page with many files, a load test) is dropped by the kernel and retried
    /// after 1, 3, 7 s. The kernel's own maximum (SOMAXCONN) instead.
    void raise_listen_backlog();

private:
    bool process_and_close_socket(socket_t sock) override;

    ConnectionLimits limits_;
};

}  // namespace s3file::server
