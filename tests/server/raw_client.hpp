// A client that sends exactly the bytes it is given — lies, trickles, half-closes — and reads
// what comes back. Every wait is bounded, so a server that never answers fails the test
// instead of hanging it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

class RawClient {
public:
    explicit RawClient(int port, int timeout_ms = 20000) : timeout_ms_(timeout_ms) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    }
    ~RawClient() { ::close(fd_); }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    bool connected() const { return connected_; }

    /// False once the server has closed or reset the connection.
    bool send(const std::string& bytes) {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            pollfd p{fd_, POLLOUT, 0};
            if (::poll(&p, 1, timeout_ms_) <= 0) return false;
            const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    /// Closes the sending side only: the request is complete, the answer still wanted.
    void half_close() { ::shutdown(fd_, SHUT_WR); }

    /// True if the server has answered or closed (without waiting).
    bool server_spoke() {
        pollfd p{fd_, POLLIN, 0};
        return ::poll(&p, 1, 0) > 0;
    }

    /// Reads one response: headers, then Content-Length bytes of body (or until close).
    /// Empty if nothing came within the timeout.
    std::string read_response() {
        std::string data;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
        for (;;) {
            const auto head_end = data.find("\r\n\r\n");
            if (head_end != std::string::npos) {
                const std::size_t length = content_length(data.substr(0, head_end));
                if (length != std::string::npos && data.size() >= head_end + 4 + length) return data;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return data;
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return data;
            char buffer[65536];
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) return data;
            data.append(buffer, static_cast<std::size_t>(n));
        }
    }

private:
    static std::size_t content_length(const std::string& head) {
        std::string lower = head;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto at = lower.find("\r\ncontent-length:");
        if (at == std::string::npos) return std::string::npos;
        return std::stoul(head.substr(at + 17));
    }

    int fd_ = -1;
    int timeout_ms_;
    bool connected_ = false;
};

/// The status code of a raw response, 0 if there is none.
inline int status_of(const std::string& response) {
    if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return 0;
    return std::stoi(response.substr(9, 3));
}

/// The body of a raw response.
inline std::string body_of(const std::string& response) {
    const auto at = response.find("\r\n\r\n");
    return at == std::string::npos ? "" : response.substr(at + 4);
}

/// True if the raw response has this header (name as sent, case-insensitive match).
inline bool has_header(const std::string& response, std::string name) {
    std::string head = response.substr(0, response.find("\r\n\r\n"));
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return head.find("\r\n" + name + ":") != std::string::npos;
}
