// AWS Signature Version 4 for whole requests (AWS's "Signature Version 4 signing process" and
// S3's "Authenticating Requests" pages): the canonical request, presigned URLs (query
// parameters, UNSIGNED-PAYLOAD, as browsers PUT parts) and the Authorization header (the
// server's own requests to a store). Pure functions: time comes in as an argument.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "signing/credentials.hpp"

namespace s3file::server {

using NameValues = std::vector<std::pair<std::string, std::string>>;

/// What a presigned URL carries instead of a body hash (S3: "UNSIGNED-PAYLOAD").
constexpr char kUnsignedPayload[] = "UNSIGNED-PAYLOAD";
/// SigV4 allows presigned URLs of 1 s to 7 days (X-Amz-Expires).
constexpr std::int64_t kMaxPresignSeconds = 7 * 24 * 3600;

/// SigV4's URI encoding: A-Z a-z 0-9 - _ . ~ kept, every other byte %XX (upper-case hex);
/// '/' kept only when `keep_slash` (paths), encoded in query names and values.
std::string sigv4_uri_encode(const std::string& text, bool keep_slash);

/// One request as SigV4 sees it; every string decoded (not URL-encoded).
struct SignableRequest {
    std::string method;        ///< "PUT"
    std::string path;          ///< "/bucket/key", decoded
    NameValues query;          ///< decoded names and values; "uploads" with an empty value
    NameValues headers;        ///< the headers to sign, any case; "host" among them
    std::string payload_hash;  ///< hex SHA-256 of the body, or kUnsignedPayload
};

/// "host;x-amz-date": the signed header names, lower-case, sorted, ';'-joined.
std::string signed_header_names(const NameValues& headers);

/// METHOD \n URI \n sorted query \n name:value lines \n \n signed names \n payload hash.
std::string canonical_request(const SignableRequest& request);

/// "AWS4-HMAC-SHA256 \n <amz date> \n <date>/<region>/s3/aws4_request \n hex(SHA-256(canonical))".
std::string sigv4_string_to_sign(const std::string& amz_date, const std::string& region,
                                 const std::string& canonical);

/// hex(HMAC(signing key of the date in `amz_date`, string to sign)).
std::string sigv4_request_signature(const std::string& secret, const std::string& amz_date,
                                    const std::string& region, const SignableRequest& request);

/// The presigned URL's query string for `method` on `host` + `path` with `query` (e.g.
/// partNumber, uploadId): the request's own parameters and X-Amz-Algorithm, -Credential,
/// -Date, -Expires, -SignedHeaders=host (and -Security-Token), encoded and sorted as signed,
/// then X-Amz-Signature. Valid `expires_seconds` from `now`.
std::string presign_query(const Credentials& credentials, const std::string& region, const std::string& method,
                          const std::string& host, const std::string& path, const NameValues& query,
                          std::time_t now, std::int64_t expires_seconds);

/// The headers to add to a request so a store accepts it: x-amz-date, x-amz-content-sha256,
/// x-amz-security-token (with temporary credentials) and Authorization. `request.headers` must
/// already hold host and any other header to sign (e.g. content-type); its payload_hash is
/// the body's SHA-256 (or kUnsignedPayload).
NameValues sign_request_headers(const Credentials& credentials, const std::string& region,
                                SignableRequest request, std::time_t now);

/// The query string (encoded, '&'-joined) of `query` in SigV4's canonical order.
std::string canonical_query(const NameValues& query);

}  // namespace s3file::server
