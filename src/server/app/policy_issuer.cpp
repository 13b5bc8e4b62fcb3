#include "app/policy_issuer.hpp"

#include "signing/crypto.hpp"
#include "signing/django_signer.hpp"
#include "signing/post_policy.hpp"
#include "signing/sigv4.hpp"

namespace s3file::server {

using nlohmann::ordered_json;

namespace {
// 128 random bits: folders cannot be guessed, so one upload cannot overwrite another's.
constexpr std::size_t kFolderTokenBytes = 16;

}  // namespace

bool type_accepted(const std::vector<std::string>& accept, const std::string& type) {
    if (accept.empty()) return true;
    for (const auto& rule : accept) {
        if (rule.size() > 2 && rule.compare(rule.size() - 2, 2, "/*") == 0) {
            if (type.rfind(rule.substr(0, rule.size() - 1), 0) == 0) return true;
        } else if (type == rule) {
            return true;
        }
    }
    return false;
}

IssuedPolicy issue_policy(const IssuerConfig& config, const std::string& bucket_url,
                          const FileRequest& file, std::time_t now) {
    const std::string folder = config.upload_prefix + "/" + random_token(kFolderTokenBytes);
    return issue_policy_in_folder(config, bucket_url, file, folder, now);
}

IssuedPolicy issue_policy_in_folder(const IssuerConfig& config, const std::string& bucket_url,
                                    const FileRequest& file, const std::string& folder, std::time_t now) {
    IssuedPolicy issued;
    issued.url = bucket_url;
    issued.folder = folder;
    const std::string date_time = format_utc(now, "%Y%m%dT%H%M%SZ");  // x-amz-date
    const std::string date = date_time.substr(0, 8);
    const std::string credential = sigv4_credential(config.credentials.access_key, date, config.region);

    ordered_json conditions = ordered_json::array();
    conditions.push_back({{"bucket", config.bucket}});
    conditions.push_back({"starts-with", "$key", folder + "/"});
    conditions.push_back({{"success_action_status", "201"}});
    conditions.push_back({"content-length-range", 0, config.max_size});
    // The file's own type is pinned when the accept list allows it; otherwise the policy keeps
    // the list's first rule, so storage refuses the upload with a Content-Type condition failure.
    std::string pinned_type;
    if (config.accept.empty() || (file.type.empty() && config.accept.size() > 1)) {
        // No type known (a seed-style form policy) and several rules: S3 POST policies cannot
        // express a list, so the type is left open, as django-s3file does. /api/policy never
        // gets here: it refuses an empty type under an accept list (check_file, file_refusal.cpp).
        conditions.push_back({"starts-with", "$Content-Type", ""});
    } else if (type_accepted(config.accept, file.type)) {
        pinned_type = file.type;
        conditions.push_back({{"Content-Type", pinned_type}});
    } else {
        const std::string& rule = config.accept.front();
        const bool prefix = rule.size() > 2 && rule.compare(rule.size() - 2, 2, "/*") == 0;
        conditions.push_back({prefix ? "starts-with" : "eq", "$Content-Type",
                              prefix ? rule.substr(0, rule.size() - 1) : rule});
    }
    conditions.push_back({{"x-amz-algorithm", "AWS4-HMAC-SHA256"}});
    conditions.push_back({{"x-amz-credential", credential}});
    conditions.push_back({{"x-amz-date", date_time}});
    if (!config.credentials.session_token.empty())
        conditions.push_back({{"x-amz-security-token", config.credentials.session_token}});

    const ordered_json document = {{"expiration", format_iso8601(now + config.expires_seconds)},
                                   {"conditions", conditions}};
    issued.policy_json = document.dump();
    const std::string policy = base64_encode(issued.policy_json);

    issued.fields = {{"key", folder + "/${filename}"}, {"success_action_status", "201"}};
    if (!pinned_type.empty()) issued.fields.emplace_back("Content-Type", pinned_type);
    issued.fields.emplace_back("x-amz-algorithm", "AWS4-HMAC-SHA256");
    issued.fields.emplace_back("x-amz-credential", credential);
    issued.fields.emplace_back("x-amz-date", date_time);
    if (!config.credentials.session_token.empty())
        issued.fields.emplace_back("x-amz-security-token", config.credentials.session_token);
    issued.fields.emplace_back("policy", policy);
    issued.fields.emplace_back("x-amz-signature",
                               sign_post_policy(config.credentials.secret_key, date, config.region, policy));
    issued.signature = django_signature(config.secret, kS3FileSalt, folder);
    return issued;
}

ordered_json policy_to_json(const IssuedPolicy& policy, const std::string& field) {
    ordered_json fields = ordered_json::object();
    for (const auto& entry : policy.fields) fields[entry.first] = entry.second;
    return {{"url", policy.url},
            {"fields", fields},
            {"key_prefix", policy.folder + "/"},
            {"signature", policy.signature},
            {"field", field}};
}

}  // namespace s3file::server
