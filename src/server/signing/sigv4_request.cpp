#include "signing/sigv4_request.hpp"

#include <algorithm>

#include "http/http_util.hpp"
#include "signing/crypto.hpp"
#include "signing/post_policy.hpp"
#include "signing/sigv4.hpp"

namespace s3file::server {

namespace {

// SigV4: header values are trimmed and runs of spaces collapse to one.
std::string trim_value(const std::string& value) {
    std::string out;
    bool space = false;
    for (char c : value) {
        if (c == ' ' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

NameValues canonical_headers_sorted(const NameValues& headers) {
    NameValues out;
    for (const auto& [name, value] : headers) out.emplace_back(ascii_lower(name), trim_value(value));
    std::sort(out.begin(), out.end());
    return out;
}

std::string amz_date_of(std::time_t now) { return format_utc(now, "%Y%m%dT%H%M%SZ"); }

std::string scope_of(const std::string& amz_date, const std::string& region) {
    return amz_date.substr(0, 8) + "/" + region + "/s3/aws4_request";
}

}  // namespace

std::string sigv4_uri_encode(const std::string& text, bool keep_slash) {
    static const char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '_' || c == '.' || c == '~';
        if (unreserved || (keep_slash && c == '/')) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

std::string canonical_query(const NameValues& query) {
    NameValues encoded;
    for (const auto& [name, value] : query)
        encoded.emplace_back(sigv4_uri_encode(name, false), sigv4_uri_encode(value, false));
    std::sort(encoded.begin(), encoded.end());  // by encoded name, then value
    std::string out;
    for (const auto& [name, value] : encoded) out += (out.empty() ? "" : "&") + name + "=" + value;
    return out;
}

std::string signed_header_names(const NameValues& headers) {
    std::string out;
    for (const auto& entry : canonical_headers_sorted(headers)) out += (out.empty() ? "" : ";") + entry.first;
    return out;
}

std::string canonical_request(const SignableRequest& request) {
    std::string text = request.method + "\n" + sigv4_uri_encode(request.path, true) + "\n" +
                       canonical_query(request.query) + "\n";
    for (const auto& [name, value] : canonical_headers_sorted(request.headers)) text += name + ":" + value + "\n";
    return text + "\n" + signed_header_names(request.headers) + "\n" + request.payload_hash;
}

std::string sigv4_string_to_sign(const std::string& amz_date, const std::string& region,
                                 const std::string& canonical) {
    return "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope_of(amz_date, region) + "\n" + to_hex(sha256(canonical));
}

std::string sigv4_request_signature(const std::string& secret, const std::string& amz_date,
                                    const std::string& region, const SignableRequest& request) {
    const std::string key = sigv4_signing_key(secret, amz_date.substr(0, 8), region);
    return to_hex(hmac_sha256(key, sigv4_string_to_sign(amz_date, region, canonical_request(request))));
}

std::string presign_query(const Credentials& credentials, const std::string& region, const std::string& method,
                          const std::string& host, const std::string& path, const NameValues& query,
                          std::time_t now, std::int64_t expires_seconds) {
    const std::string amz_date = amz_date_of(now);
    SignableRequest request{method, path, query, {{"host", host}}, kUnsignedPayload};
    request.query.emplace_back("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
    request.query.emplace_back("X-Amz-Credential", credentials.access_key + "/" + scope_of(amz_date, region));
    request.query.emplace_back("X-Amz-Date", amz_date);
    request.query.emplace_back("X-Amz-Expires", std::to_string(expires_seconds));
    request.query.emplace_back("X-Amz-SignedHeaders", "host");
    if (!credentials.session_token.empty()) request.query.emplace_back("X-Amz-Security-Token", credentials.session_token);
    const std::string signature = sigv4_request_signature(credentials.secret_key, amz_date, region, request);
    return canonical_query(request.query) + "&X-Amz-Signature=" + signature;
}

NameValues sign_request_headers(const Credentials& credentials, const std::string& region,
                                SignableRequest request, std::time_t now) {
    const std::string amz_date = amz_date_of(now);
    NameValues added{{"x-amz-date", amz_date}, {"x-amz-content-sha256", request.payload_hash}};
    if (!credentials.session_token.empty()) added.emplace_back("x-amz-security-token", credentials.session_token);
    request.headers.insert(request.headers.end(), added.begin(), added.end());
    const std::string signature = sigv4_request_signature(credentials.secret_key, amz_date, region, request);
    added.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.access_key + "/" +
                                            scope_of(amz_date, region) + ", SignedHeaders=" +
                                            signed_header_names(request.headers) + ", Signature=" + signature);
    return added;
}

}  // namespace s3file::server
