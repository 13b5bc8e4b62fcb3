#include "http/body_framing.hpp"

#include <string>

#include "http/http_util.hpp"

namespace s3file::server {

namespace {
// 2^64 has 20 digits: up to 19 always fit in a uint64_t, and no body is anywhere near 10^19.
constexpr std::size_t kMaxLengthDigits = 19;

// The methods whose body cpp-httplib 0.11 reads (its detail::expect_content); it reads a
// DELETE's body only when a Content-Length announces one.
bool reads_body(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE" || method == "PRI";
}

bool needs_length(const std::string& method) { return method == "POST" || method == "PUT" || method == "PATCH"; }

// RFC 9110 §8.6: Content-Length = 1*DIGIT. No sign, no spaces, no list ("5, 5").
bool parse_length(const std::string& text, std::uint64_t& length) {
    if (text.empty() || text.size() > kMaxLengthDigits) return false;
    length = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        length = length * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return true;
}

// The body's length from its `count` Content-Length headers: copies that agree are one length
// (RFC 9110 §8.6 lets a recipient take them so; cpp-httplib's own client sends "0" twice on an
// empty POST when the caller set it too), copies that differ are a framing error.
bool one_length(const httplib::Request& request, std::size_t count, std::uint64_t& length) {
    const std::string first = request.get_header_value("Content-Length");
    for (std::size_t i = 1; i < count; ++i)
        if (request.get_header_value("Content-Length", i) != first) return false;
    return parse_length(first, length);
}

// Any Content-Encoding header other than `identity` (the only coding that leaves the bytes as
// they are), in any of its copies: cpp-httplib decodes by the first one.
bool encoded(const httplib::Request& request) {
    const std::size_t count = request.get_header_value_count("Content-Encoding");
    for (std::size_t i = 0; i < count; ++i)
        if (ascii_lower(request.get_header_value("Content-Encoding", i)) != "identity") return true;
    return false;
}
}  // namespace

BodyFraming check_body_framing(const httplib::Request& request, std::uint64_t max_body) {
    if (request.has_header("Transfer-Encoding")) return BodyFraming::LengthRequired;
    const std::size_t lengths = request.get_header_value_count("Content-Length");
    if (lengths == 0 && needs_length(request.method)) return BodyFraming::LengthRequired;
    std::uint64_t length = 0;
    if (lengths > 0 && !one_length(request, lengths, length)) return BodyFraming::BadLength;
    if (length > 0 && !reads_body(request.method)) return BodyFraming::UnreadBody;
    if (length > max_body) return BodyFraming::TooLarge;
    if (encoded(request)) return BodyFraming::Encoded;
    return BodyFraming::Accepted;
}

}  // namespace s3file::server
