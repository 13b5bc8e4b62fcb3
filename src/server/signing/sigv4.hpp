// AWS Signature Version 4 for browser POST uploads (protocol.md §1).
#pragma once

#include <string>

namespace s3file::server {

/// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
std::string sigv4_signing_key(const std::string& secret, const std::string& yyyymmdd,
                              const std::string& region, const std::string& service = "s3");

/// hex(HMAC(kSigning, policy_base64)): the x-amz-signature of a POST policy.
std::string sign_post_policy(const std::string& secret, const std::string& yyyymmdd,
                             const std::string& region, const std::string& policy_base64);

/// "<access-key>/<yyyymmdd>/<region>/s3/aws4_request".
std::string sigv4_credential(const std::string& access_key, const std::string& yyyymmdd,
                             const std::string& region);

}  // namespace s3file::server
