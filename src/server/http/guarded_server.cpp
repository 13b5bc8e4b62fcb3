#include "http/guarded_server.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include "http/guarded_stream.hpp"

namespace s3file::server {

namespace {
// The connection this worker thread serves, for handlers that must tell a slow client from a
// malformed body.
thread_local GuardedStream* current_stream = nullptr;
}  // namespace

GuardedServer::GuardedServer(ConnectionLimits limits) { set_limits(limits); }

void GuardedServer::set_limits(const ConnectionLimits& limits) {
    limits_ = limits;
    const std::size_t threads = limits.threads;
    new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
}

bool GuardedServer::body_too_slow() { return current_stream != nullptr && current_stream->too_slow(); }

void GuardedServer::close_after_response() {
    if (current_stream != nullptr) current_stream->close_after_response();
}

void GuardedServer::raise_listen_backlog() {
    if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, SOMAXCONN);  // Linux updates the backlog
}

// cpp-httplib's keep-alive loop (process_server_socket_core), over our stream.
bool GuardedServer::process_and_close_socket(socket_t sock) {
    GuardedStream stream(sock, limits_, static_cast<double>(read_timeout_sec_) + read_timeout_usec_ / 1e6,
                         static_cast<double>(write_timeout_sec_) + write_timeout_usec_ / 1e6, svr_sock_);
    current_stream = &stream;
    bool ok = false;
    for (std::size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET; --left) {
        if (!stream.wait_for_request(static_cast<double>(keep_alive_timeout_sec_))) break;
        stream.start_request();
        bool connection_closed = false;
        ok = process_request(stream, left == 1, connection_closed,
                             [&stream](httplib::Request&) { stream.start_body(); });
        if (!ok || connection_closed || stream.too_slow() || stream.closing()) break;
    }
    current_stream = nullptr;
    shutdown(sock, SHUT_RDWR);
    close(sock);
    return ok;
}

}  // namespace s3file::server
