// The emulator's check of a SigV4-signed request (S3's "Authenticating Requests (AWS Signature
// Version 4)"): either a presigned URL (X-Amz-* query parameters) or an Authorization header.
// The canonical request is rebuilt from what arrived, with the same code that signs
// (signing/sigv4_request), and the signature compared in constant time.
#pragma once

#include <ctime>
#include <string>

#include <httplib.h>

#include "emulator/post_verifier.hpp"
#include "http/s3_error.hpp"

namespace s3file::server {

/// S3 refuses a header-signed request whose x-amz-date is more than 15 minutes off.
constexpr std::time_t kMaxClockSkewSeconds = 15 * 60;

struct AuthResult {
    S3Failure failure;
    /// The payload hash the signature covers: kUnsignedPayload, or a hex SHA-256 that the
    /// body must match (checked by the handler once it has read the body).
    std::string payload_hash;
};

/// Verifies the request's signature against `config`'s credentials at time `now`. An
/// unsigned request is 403 AccessDenied; a wrong signature 403 SignatureDoesNotMatch.
AuthResult authenticate_request(const BucketConfig& config, const httplib::Request& request, std::time_t now);

/// 400 XAmzContentSHA256Mismatch unless `payload_hash` is kUnsignedPayload or equals the
/// body's hex SHA-256.
S3Failure check_payload_hash(const std::string& payload_hash, const std::string& body_sha256_hex);

}  // namespace s3file::server
