#include <catch2/catch.hpp>

#include "app/policy_issuer.hpp"
#include "emulator/post_verifier.hpp"
#include "server/vectors.hpp"

using namespace s3file::server;

namespace {

IssuerConfig issuer() {
    IssuerConfig config;
    config.bucket = "bucket";
    config.region = "eu-west-1";
    config.credentials = {"AKIDEXAMPLE00000000", "secret/key+example", ""};
    config.max_size = 1000;
    config.secret = "form-secret";
    return config;
}

const std::time_t kNow = 1764000000;

FormFields form_of(const IssuedPolicy& issued, const std::string& filename, const std::string& type) {
    FormFields fields;
    for (const auto& f : issued.fields)
        fields.emplace_back(f.first, f.first == "key" ? issued.folder + "/" + filename : f.second);
    fields.emplace_back("Content-Type", type);
    return fields;
}

}  // namespace

TEST_CASE("an issued policy verifies, and its size range is the configured maximum") {
    const IssuedPolicy issued = issue_policy(issuer(), "http://s3/bucket", {"a.txt", 5, "text/plain", "doc"}, kNow);
    PolicyDocument policy;
    CHECK_FALSE(verify_post_form({"bucket", "eu-west-1", issuer().credentials}, form_of(issued, "a.txt", "text/plain"), kNow, policy));
    REQUIRE(policy.length_range);
    CHECK(policy.length_range->second == 1000);
    CHECK(check_length(policy, 1001).code == "EntityTooLarge");
}

TEST_CASE("the verifier checks algorithm, credential scope, date and signature") {
    const IssuedPolicy issued = issue_policy(issuer(), "http://s3/bucket", {"a.txt", 5, "text/plain", "doc"}, kNow);
    const BucketConfig bucket{"bucket", "eu-west-1", issuer().credentials};
    auto failure_with = [&](const std::string& name, const std::string& value) {
        FormFields fields = form_of(issued, "a.txt", "text/plain");
        for (auto& f : fields)
            if (f.first == name) f.second = value;
        PolicyDocument policy;
        return verify_post_form(bucket, fields, kNow, policy);
    };
    CHECK(failure_with("x-amz-signature", std::string(64, '0')).code == "SignatureDoesNotMatch");
    CHECK(failure_with("x-amz-signature", std::string(64, '0')).status == 403);
    CHECK(failure_with("x-amz-credential", "OTHERKEY/20251124/eu-west-1/s3/aws4_request").code == "InvalidAccessKeyId");
    CHECK(failure_with("x-amz-credential", "AKIDEXAMPLE00000000/20251124/us-east-1/s3/aws4_request").code ==
          "AuthorizationQueryParametersError");
    CHECK(failure_with("x-amz-algorithm", "AWS4-HMAC-SHA1").code == "InvalidArgument");
    CHECK(failure_with("x-amz-date", "20250101T000000Z").code == "InvalidArgument");
    // A policy changed after signing no longer matches its signature.
    CHECK(failure_with("policy", issued.fields[5].second + "x").code == "SignatureDoesNotMatch");
    // The key must stay in the signed folder.
    CHECK(failure_with("key", "tmp/s3file/elsewhere/a.txt").code == "AccessDenied");

    FormFields missing = form_of(issued, "a.txt", "text/plain");
    missing.erase(missing.begin());  // no key
    PolicyDocument policy;
    const S3Failure failure = verify_post_form(bucket, missing, kNow, policy);
    CHECK(failure.code == "InvalidArgument");
    CHECK(failure.message.find("'key'") != std::string::npos);
}

TEST_CASE("the AWS example form verifies against its own policy and credentials") {
    const auto v = load_vector("aws-sigv4-post-example.json");
    FormFields fields;
    for (const auto& [name, value] : v["form_fields_in_example"].items()) fields.emplace_back(name, value.get<std::string>());
    const BucketConfig bucket{v["bucket"], v["region"], {v["access_key"], v["secret_key"], ""}};
    PolicyDocument policy;
    // Signature and conditions pass; only the 2015 expiration fails now.
    const S3Failure failure = verify_post_form(bucket, fields, 1451433600 /* 2015-12-30 00:00 */, policy);
    CHECK_FALSE(failure);
    CHECK(verify_post_form(bucket, fields, kNow, policy).message == "Invalid according to Policy: Policy expired.");
}

TEST_CASE("accept rules pin allowed types and refuse others") {
    IssuerConfig config = issuer();
    config.accept = {"image/*", "application/pdf"};
    CHECK(type_accepted(config.accept, "image/png"));
    CHECK(type_accepted(config.accept, "application/pdf"));
    CHECK_FALSE(type_accepted(config.accept, "text/html"));
    CHECK_FALSE(type_accepted(config.accept, "imagex/png"));
    const BucketConfig bucket{"bucket", "eu-west-1", config.credentials};

    const IssuedPolicy png = issue_policy(config, "u", {"a.png", 5, "image/png", "f"}, kNow);
    bool pinned = false;
    for (const auto& f : png.fields) pinned = pinned || (f.first == "Content-Type" && f.second == "image/png");
    CHECK(pinned);
    FormFields fields;
    for (const auto& f : png.fields) fields.emplace_back(f.first, f.first == "key" ? png.folder + "/a.png" : f.second);
    PolicyDocument policy;
    CHECK_FALSE(verify_post_form(bucket, fields, kNow, policy));

    const IssuedPolicy html = issue_policy(config, "u", {"a.html", 5, "text/html", "f"}, kNow);
    PolicyDocument policy2;
    const S3Failure refused = verify_post_form(bucket, form_of(html, "a.html", "text/html"), kNow, policy2);
    CHECK(refused.code == "AccessDenied");
    CHECK(refused.message.find("$Content-Type") != std::string::npos);
}

TEST_CASE("each issued policy has its own folder and the folder's form signature") {
    const IssuedPolicy a = issue_policy(issuer(), "u", {"same.txt", 1, "", "f"}, kNow);
    const IssuedPolicy b = issue_policy(issuer(), "u", {"same.txt", 1, "", "f"}, kNow);
    CHECK(a.folder != b.folder);
    CHECK(a.folder.rfind("tmp/s3file/", 0) == 0);
    CHECK(a.folder.size() == std::string("tmp/s3file/").size() + 32);
    CHECK(a.signature != b.signature);
    CHECK(a.fields[0] == std::make_pair(std::string("key"), a.folder + "/${filename}"));
    const auto json = policy_to_json(a, "f");
    CHECK(json["key_prefix"] == a.folder + "/");
    CHECK(json["fields"]["success_action_status"] == "201");
    CHECK(json["fields"].contains("x-amz-signature"));
}
