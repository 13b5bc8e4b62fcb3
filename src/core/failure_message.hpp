// Turning a failed attempt into the sentence a user reads next to the file input.
#pragma once

#include <cstdint>
#include <string>

#include "retry_policy.hpp"
#include "s3_response.hpp"
#include "upload.hpp"

namespace s3file {

/// "10 MB", "1.5 GB", "512 bytes": binary units, as Django's filesizeformat prints them.
std::string human_size(std::uint64_t bytes);

/// The user-facing error for a failure; `s3` is the parsed S3 Error when there was one
/// (code empty otherwise); `detail` adds context such as a parse error.
UploadError describe_failure(const Failure& failure, const S3Error& s3, const std::string& detail,
                             std::uint32_t stall_timeout_ms);

}  // namespace s3file
