// Fuzz target: the engine's reader of S3's XML answers (src/core/s3_response.*), which sees
// whatever storage, a proxy or a truncated connection sends back.
// Invariants: a parse either succeeds with its required field or says why; no body is both a
// PostResponse and an Error; and whatever the emulator writes (src/server/http/s3_error.*), with
// any text in it, the engine reads back unchanged (in an Error, what XML 1.0 cannot carry at
// all, such as NUL or invalid UTF-8, is written as U+FFFD so the body stays XML: exact there
// for the rest).
#include "harness.hpp"
#include "http/s3_error.hpp"
#include "s3_response.hpp"

using namespace s3file;
using namespace s3file::fuzz;

namespace {

// The input's first lines as separate values (the last one keeps the rest, newlines and all).
std::vector<std::string> values_of(const std::string& input, std::size_t count) {
    std::vector<std::string> values;
    std::size_t from = 0;
    while (values.size() + 1 < count) {
        const std::size_t at = input.find('\n', from);
        if (at == std::string::npos) break;
        values.push_back(input.substr(from, at - from));
        from = at + 1;
    }
    values.push_back(input.substr(std::min(from, input.size())));
    values.resize(count);
    return values;
}

void parse_as_is(const std::string& body) {
    PostResult post;
    S3Error error;
    std::string why_post, why_error;
    const bool is_post = parse_post_response(body, post, why_post);
    const bool is_error = parse_s3_error(body, error, why_error);
    expect(is_post ? !post.key.empty() : !why_post.empty(), "PostResponse: no key or no reason", body);
    expect(is_error ? !error.code.empty() : !why_error.empty(), "Error: no code or no reason", body);
    expect(!(is_post && is_error), "one body is both a PostResponse and an Error", body);
    std::string text;
    xml_child_text(body, "Error", "Message", text);
}

void round_trip_post_response(const std::string& input) {
    const auto v = values_of(input, 4);  // location, bucket, key, etag
    PostResult read;
    std::string why;
    const bool ok = parse_post_response(server::post_response_xml(v[0], v[1], v[2], v[3]), read, why);
    expect(ok == !v[2].empty(), "the emulator's PostResponse is not read back", why);
    if (ok)
        expect(read.location == v[0] && read.bucket == v[1] && read.key == v[2] && read.etag == v[3],
               "the emulator's PostResponse reads back different values", input);
}

// True if s3_error_xml writes `text` as it is: nothing in it that XML 1.0 cannot carry.
bool representable(const std::string& text) { return server::xml_escape_untrusted(text) == server::xml_escape(text); }

void round_trip_error(const std::string& input) {
    const auto v = values_of(input, 3);  // code, message, MaxSizeAllowed
    server::S3Failure failure = server::s3_failure(400, v[0], v[1]);
    failure.extra = {{"MaxSizeAllowed", v[2]}};
    S3Error read;
    std::string why;
    const bool ok = parse_s3_error(server::s3_error_xml(failure, "request-id"), read, why);
    expect(ok == !v[0].empty(), "the emulator's Error is not read back", why);
    if (ok && representable(v[1]) && representable(v[2]))
        expect(read.code == v[0] && read.message == v[1] && read.max_size_allowed == v[2],
               "the emulator's Error reads back different values", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input = as_string(data, size);
    parse_as_is(input);
    round_trip_post_response(input);
    round_trip_error(input);
    return 0;
}
