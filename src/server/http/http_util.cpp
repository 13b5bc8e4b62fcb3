#include "http/http_util.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "http/byte_range.hpp"
#include "signing/crypto.hpp"
#include "signing/sigv4_request.hpp"

namespace s3file::server {

std::string url_encode_path(const std::string& text) { return sigv4_uri_encode(text, true); }

std::string ascii_lower(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::size_t from = 0;
    for (;;) {
        const std::size_t at = text.find(separator, from);
        parts.push_back(text.substr(from, at - from));
        if (at == std::string::npos) return parts;
        from = at + 1;
    }
}

bool read_bounded(const httplib::ContentReader& reader, std::size_t limit, std::string& body) {
    bool over = false;
    const bool complete = reader([&](const char* data, std::size_t size) {
        if (body.size() + size > limit) return !(over = true);
        body.append(data, size);
        return true;
    });
    return complete && !over;
}

std::string origin_for(const httplib::Request& request, int port) {
    std::string host = request.get_header_value("Host");
    if (host.empty()) host = "127.0.0.1";
    if (host.front() == '[') {  // [::1]:8080
        host = host.substr(0, host.find(']') + 1);
    } else {
        host = host.substr(0, host.find(':'));
    }
    return "http://" + host + ":" + std::to_string(port);
}

namespace {
int port_of(const sockaddr_storage& address) {
    if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
    if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
    return -1;
}
}  // namespace

bool reset_connection(const httplib::Request& request) {
    // cpp-httplib does not expose the socket; the (local port, peer port) pair identifies it.
    for (int fd = 3; fd < 4096; ++fd) {
        sockaddr_storage local{}, peer{};
        socklen_t local_size = sizeof local, peer_size = sizeof peer;
        if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0) continue;
        if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0) continue;
        if (port_of(local) != request.local_port || port_of(peer) != request.remote_port) continue;
        const linger abort_on_close{1, 0};  // close() then sends RST instead of FIN
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
        shutdown(fd, SHUT_RDWR);
        return true;
    }
    return false;
}

void send_s3_error(httplib::Response& response, const S3Failure& failure) {
    response.status = failure.status;
    response.set_content(s3_error_xml(failure, random_token(8)), "application/xml");
}

bool send_file(const httplib::Request& request, httplib::Response& response, const std::string& path,
               std::uint64_t size, const std::string& content_type) {
    // The header read again: the request's own parsed ranges are cleared before routing
    // (install_request_log), so that cpp-httplib applies none itself.
    httplib::Ranges ranges;
    const std::string header = request.get_header_value("Range");
    if (!header.empty() && !httplib::detail::parse_range_header(header, ranges)) ranges.clear();
    ByteRange part{0, size};
    const RangeChoice choice = choose_range(ranges, size, part);
    if (choice == RangeChoice::Unsatisfiable) return false;
    std::shared_ptr<std::FILE> file(std::fopen(path.c_str(), "rb"), [](std::FILE* f) {
        if (f) std::fclose(f);
    });
    if (!file) {
        response.status = 500;
        return true;
    }
    if (choice == RangeChoice::Part) {
        response.status = 206;
        response.set_header("Content-Range", "bytes " + std::to_string(part.first) + "-" +
                                                 std::to_string(part.first + part.length - 1) + "/" + std::to_string(size));
    }
    response.set_header("Accept-Ranges", "bytes");
    const std::uint64_t start = part.first;
    response.set_content_provider(
        static_cast<std::size_t>(part.length), content_type,
        [file, start](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            char buffer[64 * 1024];
            std::fseek(file.get(), static_cast<long>(start + offset), SEEK_SET);
            const std::size_t want = length < sizeof buffer ? length : sizeof buffer;
            const std::size_t got = std::fread(buffer, 1, want, file.get());
            return got > 0 && sink.write(buffer, got);
        });
    return true;
}

void unsatisfiable_range(httplib::Response& response, std::uint64_t size) {
    response.set_header("Content-Range", "bytes */" + std::to_string(size));
}

}  // namespace s3file::server
