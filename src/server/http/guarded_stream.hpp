// The socket stream behind GuardedServer: buffered reads that know whether they serve a
// request's headers (total deadline, size cap) or its body (minimum rate), so a slow client
// is cut instead of holding a worker thread. Used by one worker thread at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <vector>

#include <httplib.h>

#include "http/guarded_server.hpp"

namespace s3file::server {

class GuardedStream : public httplib::Stream {
public:
    using Clock = std::chrono::steady_clock;

    /// `listening` is the server's listening socket: once it is invalid the server is
    /// stopping, and waits end early.
    GuardedStream(socket_t sock, const ConnectionLimits& limits, double read_timeout_seconds,
                  double write_timeout_seconds, const std::atomic<socket_t>& listening);

    /// Waits up to `seconds` for the next request's first byte (keep-alive); false if none.
    bool wait_for_request(double seconds);
    /// The next reads are a request's line and headers: the header deadline starts now.
    void start_request();
    /// The headers are parsed: the next reads are the body, held to the minimum rate.
    void start_body();
    /// The body came slower than the minimum rate and the reads were cut.
    bool too_slow() const { return too_slow_; }
    /// The connection ends after the current response.
    void close_after_response() { closing_ = true; }
    bool closing() const { return closing_; }

    bool is_readable() const override;
    bool is_writable() const override;
    ssize_t read(char* ptr, size_t size) override;
    ssize_t write(const char* ptr, size_t size) override;
    void get_remote_ip_and_port(std::string& ip, int& port) const override;
    void get_local_ip_and_port(std::string& ip, int& port) const override;
    socket_t socket() const override { return sock_; }

private:
    enum class Phase { Headers, Body };

    bool fill();
    bool body_rate_ok(Clock::duration waited, std::size_t bytes);
    bool stopping() const { return listening_.load() == INVALID_SOCKET; }

    socket_t sock_;
    ConnectionLimits limits_;
    Clock::duration read_timeout_;
    int write_timeout_ms_;
    const std::atomic<socket_t>& listening_;

    std::vector<char> buffer_;
    std::size_t begin_ = 0, end_ = 0;

    Phase phase_ = Phase::Headers;
    Clock::time_point header_deadline_;
    std::size_t header_bytes_ = 0;
    Clock::duration window_waited_{};
    std::uint64_t window_bytes_ = 0;
    bool too_slow_ = false;
    bool closing_ = false;
};

}  // namespace s3file::server
