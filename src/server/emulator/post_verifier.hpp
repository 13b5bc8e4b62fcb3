// The emulator's checks of a POST Object form, in S3's order: required fields, signature,
// policy conditions. The file size is checked separately once the file has streamed.
#pragma once

#include <ctime>
#include <string>

#include "signing/credentials.hpp"
#include "signing/post_policy.hpp"

namespace s3file::server {

/// What the emulator serves: one bucket, one region, one identity.
struct BucketConfig {
    std::string bucket;
    std::string region;
    Credentials credentials;
};

/// Verifies algorithm, credential scope, date and signature, then the policy's conditions.
/// On success `policy` holds the decoded document (for the size check).
S3Failure verify_post_form(const BucketConfig& config, const FormFields& fields, std::time_t now,
                           PolicyDocument& policy);

}  // namespace s3file::server
