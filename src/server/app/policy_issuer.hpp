// The app-server side: presigned POST policies, one signed folder per file (protocol.md §1, §3).
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "signing/credentials.hpp"

namespace s3file::server {

struct IssuerConfig {
    std::string bucket;
    std::string region;
    Credentials credentials;
    std::string upload_prefix = "tmp/s3file";
    std::uint64_t max_size = 5ull * 1024 * 1024 * 1024;  ///< S3's 5 GB single-POST limit
    std::vector<std::string> accept;  ///< "image/png" exact or "image/*" prefix; empty: any type
    std::int64_t expires_seconds = 3600;  ///< one hour, like boto3's default ExpiresIn
    std::string secret;  ///< the form-signing secret (Django's SECRET_KEY)
};

/// What the browser says about one file.
struct FileRequest {
    std::string name;
    std::uint64_t size = 0;
    std::string type;
    std::string field;  ///< the form field (input name)
};

/// One presigned POST, shaped like boto3's generate_presigned_post plus our folder signature.
struct IssuedPolicy {
    std::string url;
    std::vector<std::pair<std::string, std::string>> fields;
    std::string folder;      ///< "<prefix>/<random id>", the signed folder
    std::string signature;   ///< Django signature of `folder`, for <field>-s3f-signature
    std::string policy_json; ///< the document before base64, for tests and logs
};

/// True when `type` is allowed by the accept list (empty list: everything).
bool type_accepted(const std::vector<std::string>& accept, const std::string& type);

/// Issues a policy for `file` at `bucket_url` in a fresh random folder, valid from `now`.
IssuedPolicy issue_policy(const IssuerConfig& config, const std::string& bucket_url,
                          const FileRequest& file, std::time_t now);

/// Same with a given folder, for tests and for the seed-style /form (one folder per input).
IssuedPolicy issue_policy_in_folder(const IssuerConfig& config, const std::string& bucket_url,
                                    const FileRequest& file, const std::string& folder, std::time_t now);

/// JSON for the browser: {"url", "fields": {…}, "key_prefix", "signature", "field"}.
nlohmann::ordered_json policy_to_json(const IssuedPolicy& policy, const std::string& field);

}  // namespace s3file::server
