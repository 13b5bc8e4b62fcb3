#include "http/guarded_stream.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace s3file::server {

namespace {

// Waits are sliced so a stopping server and the deadlines are noticed within a quarter second.
constexpr int kSliceMs = 250;
// Large enough that a fast upload costs few system calls; cpp-httplib reads headers a byte
// at a time and bodies in 4 KB pieces, both served from here.
constexpr std::size_t kBufferBytes = 64 * 1024;

int to_ms(std::chrono::steady_clock::duration d) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    return static_cast<int>(std::clamp<long long>(ms, 0, kSliceMs));
}

void ip_and_port(const sockaddr_storage& address, socklen_t size, std::string& ip, int& port) {
    char host[NI_MAXHOST] = "";
    char service[NI_MAXSERV] = "";
    if (getnameinfo(reinterpret_cast<const sockaddr*>(&address), size, host, sizeof host, service, sizeof service,
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
        ip = host;
        port = std::atoi(service);
    }
}

}  // namespace

GuardedStream::GuardedStream(socket_t sock, const ConnectionLimits& limits, double read_timeout_seconds,
                             double write_timeout_seconds, const std::atomic<socket_t>& listening)
    : sock_(sock),
      limits_(limits),
      read_timeout_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(read_timeout_seconds))),
      write_timeout_ms_(static_cast<int>(write_timeout_seconds * 1000)),
      listening_(listening),
      buffer_(kBufferBytes) {}

bool GuardedStream::wait_for_request(double seconds) {
    if (begin_ != end_) return true;  // a pipelined request is already buffered
    const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    while (!stopping()) {
        const auto left = until - Clock::now();
        if (left <= Clock::duration::zero()) return false;
        pollfd p{sock_, POLLIN, 0};
        const int ready = poll(&p, 1, to_ms(left));
        if (ready > 0) return true;  // data, or EOF that the next read reports
        if (ready < 0 && errno != EINTR) return false;
    }
    return false;
}

void GuardedStream::start_request() {
    phase_ = Phase::Headers;
    header_bytes_ = 0;
    header_deadline_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(limits_.header_seconds));
}

void GuardedStream::start_body() {
    phase_ = Phase::Body;
    window_waited_ = Clock::duration::zero();
    window_bytes_ = 0;
}

bool GuardedStream::is_readable() const {
    if (begin_ != end_) return true;
    pollfd p{sock_, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
}

bool GuardedStream::is_writable() const {
    // Only whether the socket takes bytes: a client that half-closed after its request
    // still reads the answer (cpp-httplib's own check peeks, sees EOF and gives up).
    pollfd p{sock_, POLLOUT, 0};
    return poll(&p, 1, write_timeout_ms_) > 0 && (p.revents & (POLLERR | POLLHUP)) == 0;
}

ssize_t GuardedStream::read(char* ptr, size_t size) {
    if (size == 0) return 0;
    if (phase_ == Phase::Headers) {
        if (header_bytes_ >= limits_.max_header_bytes) return -1;
        size = std::min(size, limits_.max_header_bytes - header_bytes_);
    }
    if (begin_ == end_ && !fill()) return -1;
    const std::size_t n = std::min(size, end_ - begin_);
    std::memcpy(ptr, buffer_.data() + begin_, n);
    begin_ += n;
    if (phase_ == Phase::Headers) header_bytes_ += n;
    return static_cast<ssize_t>(n);
}

// Waits for bytes and buffers them; false on EOF, error, a passed deadline or a slow body.
bool GuardedStream::fill() {
    Clock::duration idle{};
    while (!stopping()) {
        const auto start = Clock::now();
        int slice = kSliceMs;
        if (phase_ == Phase::Headers) {
            if (start >= header_deadline_) return false;
            slice = to_ms(header_deadline_ - start);
        }
        pollfd p{sock_, POLLIN, 0};
        const int ready = poll(&p, 1, std::max(slice, 1));
        const auto waited = Clock::now() - start;
        if (ready < 0 && errno != EINTR) return false;
        if (ready > 0) {
            const ssize_t n = recv(sock_, buffer_.data(), buffer_.size(), 0);
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (n <= 0) return false;
            begin_ = 0;
            end_ = static_cast<std::size_t>(n);
            return phase_ == Phase::Headers || body_rate_ok(waited, end_);
        }
        idle += waited;
        if (idle >= read_timeout_) return false;
        if (phase_ == Phase::Body && !body_rate_ok(waited, 0)) return false;
    }
    return false;
}

// Only time spent waiting for the client counts: a server that pauses (a slow disk, a stall
// fault) is not the client's fault.
bool GuardedStream::body_rate_ok(Clock::duration waited, std::size_t bytes) {
    window_waited_ += waited;
    window_bytes_ += bytes;
    const double seconds = std::chrono::duration<double>(window_waited_).count();
    if (seconds < limits_.body_window_seconds) return true;
    const bool ok = static_cast<double>(window_bytes_) >= seconds * static_cast<double>(limits_.min_body_bytes_per_second);
    window_waited_ = Clock::duration::zero();
    window_bytes_ = 0;
    too_slow_ = too_slow_ || !ok;
    return ok;
}

ssize_t GuardedStream::write(const char* ptr, size_t size) {
    pollfd p{sock_, POLLOUT, 0};
    int ready;
    do ready = poll(&p, 1, write_timeout_ms_);
    while (ready < 0 && errno == EINTR);
    if (ready <= 0) return -1;
    ssize_t n;
    do n = send(sock_, ptr, size, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n;
}

void GuardedStream::get_remote_ip_and_port(std::string& ip, int& port) const {
    sockaddr_storage address{};
    socklen_t size = sizeof address;
    if (getpeername(sock_, reinterpret_cast<sockaddr*>(&address), &size) == 0) ip_and_port(address, size, ip, port);
}

void GuardedStream::get_local_ip_and_port(std::string& ip, int& port) const {
    sockaddr_storage address{};
    socklen_t size = sizeof address;
    if (getsockname(sock_, reinterpret_cast<sockaddr*>(&address), &size) == 0) ip_and_port(address, size, ip, port);
}

}  // namespace s3file::server
