#include "signing/sigv4.hpp"

#include "signing/crypto.hpp"

namespace s3file::server {

std::string sigv4_signing_key(const std::string& secret, const std::string& yyyymmdd,
                              const std::string& region, const std::string& service) {
    const std::string k_date = hmac_sha256("AWS4" + secret, yyyymmdd);
    const std::string k_region = hmac_sha256(k_date, region);
    const std::string k_service = hmac_sha256(k_region, service);
    return hmac_sha256(k_service, "aws4_request");
}

std::string sign_post_policy(const std::string& secret, const std::string& yyyymmdd,
                             const std::string& region, const std::string& policy_base64) {
    return to_hex(hmac_sha256(sigv4_signing_key(secret, yyyymmdd, region), policy_base64));
}

std::string sigv4_credential(const std::string& access_key, const std::string& yyyymmdd,
                             const std::string& region) {
    return access_key + "/" + yyyymmdd + "/" + region + "/s3/aws4_request";
}

}  // namespace s3file::server
