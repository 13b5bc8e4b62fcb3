#include "emulator/request_auth.hpp"

#include <cstdlib>

#include "http/http_util.hpp"
#include "signing/crypto.hpp"
#include "signing/post_policy.hpp"
#include "signing/sigv4_request.hpp"

namespace s3file::server {

namespace {

S3Failure access_denied(const std::string& message) { return s3_failure(403, "AccessDenied", message); }

S3Failure signature_mismatch() {
    return s3_failure(403, "SignatureDoesNotMatch",
                      "The request signature we calculated does not match the signature you provided. "
                      "Check your key and signing method.");
}

bool is_amz_date(const std::string& date, std::time_t& out) {
    if (date.size() != 16 || date[8] != 'T' || date[15] != 'Z') return false;
    const std::string iso = date.substr(0, 4) + "-" + date.substr(4, 2) + "-" + date.substr(6, 2) + "T" +
                            date.substr(9, 2) + ":" + date.substr(11, 2) + ":" + date.substr(13, 2) + "Z";
    return parse_iso8601(iso, out);
}

// The signed parts every form has: credential scope, date, header names, signature.
struct Claimed {
    std::string credential, amz_date, signed_headers, signature, payload_hash;
};

// Scope "<key>/<yyyymmdd>/<region>/s3/aws4_request" against the bucket's identity and the date.
S3Failure check_scope(const BucketConfig& config, const Claimed& claimed, const char* malformed_code) {
    const std::vector<std::string> scope = split(claimed.credential, '/');
    if (scope.size() != 5 || scope[3] != "s3" || scope[4] != "aws4_request")
        return s3_failure(400, malformed_code, "Error parsing the Credential: expected <key>/<date>/<region>/s3/aws4_request.");
    if (scope[0] != config.credentials.access_key)
        return s3_failure(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
    if (scope[2] != config.region)
        return s3_failure(400, malformed_code, "The region '" + scope[2] + "' is wrong; expecting '" + config.region + "'");
    if (claimed.amz_date.compare(0, 8, scope[1]) != 0)
        return s3_failure(403, "SignatureDoesNotMatch", "The credential's date is not the request's date.");
    return {};
}

S3Failure check_signature(const BucketConfig& config, const httplib::Request& request, const Claimed& claimed,
                          bool presigned) {
    SignableRequest signable{request.method, request.path, {}, {}, claimed.payload_hash};
    for (const auto& [name, value] : request.params)
        if (!(presigned && name == "X-Amz-Signature")) signable.query.emplace_back(name, value);
    const std::vector<std::string> names = split(claimed.signed_headers, ';');
    bool has_host = false;
    for (const std::string& name : names) {
        if (name.empty() || !request.has_header(name)) return signature_mismatch();
        has_host = has_host || name == "host";
        signable.headers.emplace_back(name, request.get_header_value(name));
    }
    if (!has_host) return access_denied("The host header must be signed.");
    const std::string expected =
        sigv4_request_signature(config.credentials.secret_key, claimed.amz_date, config.region, signable);
    return equal_constant_time(expected, claimed.signature) ? S3Failure{} : signature_mismatch();
}

AuthResult authenticate_presigned(const BucketConfig& config, const httplib::Request& request, std::time_t now) {
    const auto param = [&](const char* name) { return request.get_param_value(name); };
    if (param("X-Amz-Algorithm") != "AWS4-HMAC-SHA256")
        return {s3_failure(400, "AuthorizationQueryParametersError", "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\""), ""};
    Claimed claimed{param("X-Amz-Credential"), param("X-Amz-Date"), param("X-Amz-SignedHeaders"),
                    param("X-Amz-Signature"), kUnsignedPayload};
    std::time_t signed_at = 0;
    const std::string expires_text = param("X-Amz-Expires");
    char* end = nullptr;
    const long long expires = std::strtoll(expires_text.c_str(), &end, 10);
    if (!is_amz_date(claimed.amz_date, signed_at) || expires_text.empty() || *end != '\0' || expires < 1 ||
        expires > kMaxPresignSeconds || claimed.signature.empty())
        return {s3_failure(400, "AuthorizationQueryParametersError",
                           "X-Amz-Date, X-Amz-Expires (1 to 604800 seconds) and X-Amz-Signature must be given."), ""};
    if (S3Failure failure = check_scope(config, claimed, "AuthorizationQueryParametersError")) return {failure, ""};
    if (now > signed_at + expires) return {access_denied("Request has expired"), ""};
    if (signed_at > now + kMaxClockSkewSeconds) return {access_denied("Request is not valid yet"), ""};
    if (!config.credentials.session_token.empty() && param("X-Amz-Security-Token") != config.credentials.session_token)
        return {s3_failure(403, "InvalidToken", "The provided token is malformed or otherwise invalid."), ""};
    return {check_signature(config, request, claimed, true), claimed.payload_hash};
}

// "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…"
bool parse_authorization(const std::string& header, Claimed& claimed) {
    static const std::string prefix = "AWS4-HMAC-SHA256 ";
    if (header.compare(0, prefix.size(), prefix) != 0) return false;
    for (std::string item : split(header.substr(prefix.size()), ',')) {
        item.erase(0, item.find_first_not_of(' '));
        const auto eq = item.find('=');
        if (eq == std::string::npos) return false;
        const std::string name = item.substr(0, eq), value = item.substr(eq + 1);
        if (name == "Credential") claimed.credential = value;
        else if (name == "SignedHeaders") claimed.signed_headers = value;
        else if (name == "Signature") claimed.signature = value;
    }
    return !claimed.credential.empty() && !claimed.signed_headers.empty() && !claimed.signature.empty();
}

AuthResult authenticate_header(const BucketConfig& config, const httplib::Request& request, std::time_t now) {
    Claimed claimed;
    if (!parse_authorization(request.get_header_value("Authorization"), claimed))
        return {s3_failure(400, "AuthorizationHeaderMalformed", "The authorization header is malformed."), ""};
    claimed.amz_date = request.get_header_value("x-amz-date");
    claimed.payload_hash = request.get_header_value("x-amz-content-sha256");
    std::time_t signed_at = 0;
    if (!is_amz_date(claimed.amz_date, signed_at))
        return {access_denied("AWS authentication requires a valid x-amz-date header"), ""};
    if (claimed.payload_hash.empty())
        return {s3_failure(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256"), ""};
    if (S3Failure failure = check_scope(config, claimed, "AuthorizationHeaderMalformed")) return {failure, ""};
    if (signed_at > now + kMaxClockSkewSeconds || signed_at + kMaxClockSkewSeconds < now)
        return {s3_failure(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large."), ""};
    if (!config.credentials.session_token.empty() &&
        request.get_header_value("x-amz-security-token") != config.credentials.session_token)
        return {s3_failure(403, "InvalidToken", "The provided token is malformed or otherwise invalid."), ""};
    return {check_signature(config, request, claimed, false), claimed.payload_hash};
}

}  // namespace

AuthResult authenticate_request(const BucketConfig& config, const httplib::Request& request, std::time_t now) {
    if (request.has_param("X-Amz-Algorithm") || request.has_param("X-Amz-Signature"))
        return authenticate_presigned(config, request, now);
    if (request.has_header("Authorization")) return authenticate_header(config, request, now);
    return {access_denied("Access Denied"), ""};
}

S3Failure check_payload_hash(const std::string& payload_hash, const std::string& body_sha256_hex) {
    if (payload_hash == kUnsignedPayload || payload_hash == body_sha256_hex) return {};
    return s3_failure(400, "XAmzContentSHA256Mismatch",
                      "The provided 'x-amz-content-sha256' header does not match what was computed.");
}

}  // namespace s3file::server
