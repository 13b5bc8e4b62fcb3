#include <catch2/catch.hpp>

#include "signing/crypto.hpp"
#include "signing/post_policy.hpp"

using namespace s3file::server;
using nlohmann::json;

namespace {

PolicyDocument policy_of(const json& conditions, const std::string& expiration = "2030-01-01T00:00:00.000Z") {
    PolicyDocument policy;
    const S3Failure failure = parse_policy(base64_encode(json{{"expiration", expiration}, {"conditions", conditions}}.dump()), policy);
    REQUIRE_FALSE(failure);
    return policy;
}

const std::time_t kNow = 1764000000;  // 2025-11-24

const json kConditions = json::array({
    {{"bucket", "b"}},
    {"starts-with", "$key", "tmp/"},
    {"eq", "$acl", "private"},
    {{"success_action_status", "201"}},
    {"content-length-range", 1, 100},
    {"starts-with", "$Content-Type", "image/"},
    {"starts-with", "$x-amz-meta-tag", ""},
});

FormFields good_fields() {
    return {{"key", "tmp/a.png"}, {"acl", "private"}, {"success_action_status", "201"},
            {"Content-Type", "image/png"}, {"x-amz-meta-tag", ""}, {"policy", "ignored"},
            {"x-amz-signature", "ignored"}, {"x-ignore-me", "whatever"}};
}

}  // namespace

TEST_CASE("a form meeting every condition passes") {
    CHECK_FALSE(evaluate_policy(policy_of(kConditions), good_fields(), "b", kNow));
}

TEST_CASE("each condition kind fails with S3's AccessDenied message") {
    const PolicyDocument policy = policy_of(kConditions);
    struct Case { const char* field; const char* value; const char* condition; };
    const Case cases[] = {
        {"key", "other/a.png", R"(["starts-with","$key","tmp/"])"},
        {"acl", "public-read", R"(["eq","$acl","private"])"},
        {"success_action_status", "200", R"({"success_action_status":"201"})"},
        {"Content-Type", "text/html", R"(["starts-with","$Content-Type","image/"])"},
    };
    for (const auto& c : cases) {
        FormFields fields = good_fields();
        for (auto& f : fields)
            if (f.first == c.field) f.second = c.value;
        const S3Failure failure = evaluate_policy(policy, fields, "b", kNow);
        INFO(c.field);
        CHECK(failure.status == 403);
        CHECK(failure.code == "AccessDenied");
        CHECK(failure.message == std::string("Invalid according to Policy: Policy Condition failed: ") + c.condition);
    }
}

TEST_CASE("a missing field fails its condition, even starts-with with an empty prefix") {
    FormFields fields = good_fields();
    fields.erase(fields.begin() + 4);  // x-amz-meta-tag
    const S3Failure failure = evaluate_policy(policy_of(kConditions), fields, "b", kNow);
    CHECK(failure.message == R"(Invalid according to Policy: Policy Condition failed: ["starts-with","$x-amz-meta-tag",""])");
}

TEST_CASE("field names match exactly, as S3 does") {
    FormFields fields = good_fields();
    fields[3].first = "content-type";
    CHECK(evaluate_policy(policy_of(kConditions), fields, "b", kNow).code == "AccessDenied");
}

TEST_CASE("the bucket condition applies to the request's bucket") {
    CHECK(evaluate_policy(policy_of(kConditions), good_fields(), "other", kNow).message ==
          R"(Invalid according to Policy: Policy Condition failed: {"bucket":"b"})");
}

TEST_CASE("every form field must be covered by the policy") {
    FormFields fields = good_fields();
    fields.emplace_back("x-amz-meta-extra", "1");
    const S3Failure failure = evaluate_policy(policy_of(kConditions), fields, "b", kNow);
    CHECK(failure.status == 403);
    CHECK(failure.message == "Invalid according to Policy: Extra input fields: x-amz-meta-extra");
}

TEST_CASE("expired policies are refused") {
    const S3Failure failure = evaluate_policy(policy_of(kConditions, "2020-01-01T00:00:00Z"), good_fields(), "b", kNow);
    CHECK(failure.status == 403);
    CHECK(failure.message == "Invalid according to Policy: Policy expired.");
}

TEST_CASE("content-length-range is inclusive and reports the limits") {
    const PolicyDocument policy = policy_of(kConditions);
    CHECK_FALSE(check_length(policy, 1));
    CHECK_FALSE(check_length(policy, 100));
    const S3Failure large = check_length(policy, 101);
    CHECK(large.status == 400);
    CHECK(large.code == "EntityTooLarge");
    REQUIRE(large.extra.size() == 2);
    CHECK(large.extra[1] == std::make_pair(std::string("MaxSizeAllowed"), std::string("100")));
    const S3Failure small = check_length(policy, 0);
    CHECK(small.code == "EntityTooSmall");
    CHECK(small.extra[1] == std::make_pair(std::string("MinSizeAllowed"), std::string("1")));
    CHECK_FALSE(check_length(policy_of(json::array({{"content-length-range", "0", "5368709120"}})), 5368709120ull));
}

TEST_CASE("malformed policy documents are InvalidPolicyDocument") {
    const std::string bad[] = {
        "!!!not base64",
        base64_encode("not json"),
        base64_encode(R"({"conditions": []})"),
        base64_encode(R"({"expiration": "tomorrow", "conditions": []})"),
        base64_encode(R"({"expiration": "2030-01-01T00:00:00Z"})"),
        base64_encode(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [["ends-with", "$key", "x"]]})"),
        base64_encode(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [["eq", "key", "x"]]})"),
        base64_encode(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [["content-length-range", -1, 5]]})"),
        base64_encode(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [{"a": "b", "c": "d"}]})"),
        base64_encode(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [42]})"),
    };
    for (const auto& text : bad) {
        PolicyDocument policy;
        const S3Failure failure = parse_policy(text, policy);
        INFO(text);
        CHECK(failure.status == 400);
        CHECK(failure.code == "InvalidPolicyDocument");
    }
}

TEST_CASE("ISO 8601 expiration round trip") {
    std::time_t t = 0;
    REQUIRE(parse_iso8601("2015-12-30T12:00:00.000Z", t));
    CHECK(format_iso8601(t) == "2015-12-30T12:00:00.000Z");
    REQUIRE(parse_iso8601("2015-12-30T12:00:00Z", t));
    CHECK_FALSE(parse_iso8601("2015-12-30 12:00:00", t));
    CHECK_FALSE(parse_iso8601("2015-13-30T12:00:00Z", t));
    CHECK_FALSE(parse_iso8601("2015-12-30T12:00:00+01:00", t));
}
