// Turning a failed attempt into an error code plus parameters; the page words it.
#pragma once

#include <cstdint>
#include <string>

#include "retry_policy.hpp"
#include "s3_response.hpp"
#include "upload.hpp"

namespace s3file {

/// The error for a failure. `s3` is the parsed S3 Error when there was one (code empty
/// otherwise); `detail` is a parse detail (BadReply) or the policy server's message (Policy).
/// Codes: NetworkError, Stalled (limit: seconds), BadReply, PolicyError (or the policy
/// failure's own code), EntityTooLarge / EntityTooSmall (limit: bytes), PolicyExpired,
/// TypeNotAccepted, any other S3 Code, HttpError.
UploadError describe_failure(const Failure& failure, const S3Error& s3, const std::string& detail,
                             std::uint32_t stall_timeout_ms);

/// True when S3 refused a request because its policy expired (a source can issue a new one).
bool is_policy_expired(const S3Error& s3);

}  // namespace s3file
