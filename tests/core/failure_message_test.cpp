#include <catch2/catch.hpp>

#include "failure_message.hpp"

using namespace s3file;

namespace {
UploadError http(int status, const S3Error& s3) {
    return describe_failure({FailureKind::Http, status, s3.code, ""}, s3, "", 30000);
}
}  // namespace

TEST_CASE("size refusals carry S3's limit in bytes and its message") {
    const S3Error too_large{"EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", "10485760", ""};
    const UploadError large = http(400, too_large);
    CHECK(large.code == "EntityTooLarge");
    CHECK(large.limit == 10485760);
    CHECK(large.detail == too_large.message);
    CHECK(large.status == 400);

    // A limit that is not a number (or is missing) is no limit rather than a wrong one.
    CHECK(http(400, {"EntityTooLarge", "too large", "10 MB", ""}).limit == 0);
    CHECK(http(400, {"EntityTooLarge", "too large", "", ""}).limit == 0);
    CHECK(http(400, {"EntityTooLarge", "too large", "99999999999999999999", ""}).limit == 0);

    const UploadError small = http(400, {"EntityTooSmall", "smaller than the minimum", "", "1"});
    CHECK(small.code == "EntityTooSmall");
    CHECK(small.limit == 1);
    CHECK(small.detail == "smaller than the minimum");
    CHECK(http(400, {"EntityTooSmall", "smaller than the minimum", "", ""}).limit == 0);
}

TEST_CASE("AccessDenied for an expired policy or a refused type gets its own code") {
    const S3Error expired{"AccessDenied", "Invalid according to Policy: Policy expired.", "", ""};
    CHECK(is_policy_expired(expired));
    CHECK(http(403, expired).code == "PolicyExpired");
    CHECK(http(403, expired).detail == expired.message);
    CHECK(http(403, expired).status == 403);

    const S3Error type{"AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$Content-Type\", \"image/\"]", "", ""};
    CHECK_FALSE(is_policy_expired(type));
    CHECK(http(403, type).code == "TypeNotAccepted");
    CHECK(http(403, type).detail == type.message);

    const S3Error condition{"AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$key\", \"x\"]", "", ""};
    CHECK(http(403, condition).code == "AccessDenied");
    CHECK(http(403, condition).detail == condition.message);
    CHECK(http(403, condition).limit == 0);
}

TEST_CASE("other S3 codes pass through with S3's message; no code is an HttpError") {
    const S3Error signature{"SignatureDoesNotMatch", "The request signature we calculated does not match", "", ""};
    CHECK(http(403, signature).code == "SignatureDoesNotMatch");
    CHECK(http(403, signature).detail == signature.message);

    const UploadError bare = http(502, S3Error{});
    CHECK(bare.code == "HttpError");
    CHECK(bare.status == 502);
    CHECK(bare.detail.empty());
}

TEST_CASE("network, stall, bad-reply and policy failures are codes with their parameters") {
    const UploadError network = describe_failure({FailureKind::Network, 0, "", ""}, S3Error{}, "", 30000);
    CHECK(network.code == "NetworkError");
    CHECK(network.detail.empty());

    const UploadError stalled = describe_failure({FailureKind::Stalled, 0, "", ""}, S3Error{}, "", 45500);
    CHECK(stalled.code == "Stalled");
    CHECK(stalled.limit == 45);  // whole seconds

    const UploadError bad = describe_failure({FailureKind::BadReply, 201, "", ""}, S3Error{}, "no Key", 30000);
    CHECK(bad.code == "BadReply");
    CHECK(bad.detail == "no Key");
    CHECK(bad.status == 201);

    const UploadError policy = describe_failure({FailureKind::Policy, 403, "", ""}, S3Error{}, "forbidden", 30000);
    CHECK(policy.code == "PolicyError");
    CHECK(policy.detail == "forbidden");
    CHECK(policy.status == 403);

    const UploadError refused = describe_failure({FailureKind::Policy, 400, "FileTooLarge", ""}, S3Error{}, "", 30000);
    CHECK(refused.code == "FileTooLarge");
    CHECK(refused.status == 400);
}
