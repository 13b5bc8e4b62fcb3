#include "emulator/post_verifier.hpp"

#include "http/http_util.hpp"
#include "signing/crypto.hpp"
#include "signing/sigv4.hpp"

namespace s3file::server {

namespace {

S3Failure missing(const std::string& name) {
    return s3_failure(400, "InvalidArgument",
                      "Bucket POST must contain a field named '" + name + "'.  If it is specified, please check the order of the fields.");
}

}  // namespace

S3Failure verify_post_form(const BucketConfig& config, const FormFields& fields, std::time_t now,
                           PolicyDocument& policy) {
    for (const char* name : {"key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"})
        if (form_value(fields, name) == nullptr) return missing(name);
    if (*form_value(fields, "x-amz-algorithm") != "AWS4-HMAC-SHA256")
        return s3_failure(400, "InvalidArgument", "Only AWS4-HMAC-SHA256 is supported for x-amz-algorithm.");

    const std::vector<std::string> scope = split(*form_value(fields, "x-amz-credential"), '/');
    if (scope.size() != 5 || scope[3] != "s3" || scope[4] != "aws4_request")
        return s3_failure(400, "InvalidArgument", "Invalid x-amz-credential: expected <key>/<date>/<region>/s3/aws4_request.");
    if (scope[0] != config.credentials.access_key)
        return s3_failure(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
    if (scope[2] != config.region)
        return s3_failure(400, "AuthorizationQueryParametersError",
                          "Error parsing the X-Amz-Credential parameter; the region '" + scope[2] +
                              "' is wrong; expecting '" + config.region + "'");
    const std::string& date = *form_value(fields, "x-amz-date");
    if (date.size() != 16 || date.compare(0, 8, scope[1]) != 0 || date[8] != 'T' || date[15] != 'Z')
        return s3_failure(400, "InvalidArgument", "x-amz-date must be yyyymmddThhmmssZ on the credential's date.");

    const std::string& policy_text = *form_value(fields, "policy");
    const std::string expected = sign_post_policy(config.credentials.secret_key, scope[1], config.region, policy_text);
    if (!equal_constant_time(expected, *form_value(fields, "x-amz-signature")))
        return s3_failure(403, "SignatureDoesNotMatch",
                          "The request signature we calculated does not match the signature you provided. "
                          "Check your key and signing method.");
    if (S3Failure failure = parse_policy(policy_text, policy)) return failure;
    return evaluate_policy(policy, fields, config.bucket, now);
}

}  // namespace s3file::server
