// Signing identity: AWS credentials, region and bucket, shared by issuer and emulator.
#pragma once

#include <string>

namespace s3file::server {

struct Credentials {
    std::string access_key;
    std::string secret_key;
    std::string session_token;  ///< x-amz-security-token, for temporary credentials
};

/// From AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN; `found` says whether
/// both keys were set. When not, a random pair is made (emulator mode only).
Credentials credentials_from_environment(bool& found);

}  // namespace s3file::server
