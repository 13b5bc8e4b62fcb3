#include <catch2/catch.hpp>

#include "failure_message.hpp"

using namespace s3file;

TEST_CASE("human sizes use binary units like Django's filesizeformat") {
    CHECK(human_size(0) == "0 bytes");
    CHECK(human_size(1) == "1 byte");
    CHECK(human_size(1023) == "1023 bytes");
    CHECK(human_size(1024) == "1 KB");
    CHECK(human_size(10 * 1024 * 1024) == "10 MB");
    CHECK(human_size(1536ull * 1024 * 1024) == "1.5 GB");
    CHECK(human_size(5ull * 1024 * 1024 * 1024 * 1024) == "5 TB");
}

TEST_CASE("S3 errors become sentences a user can act on") {
    const Failure http{FailureKind::Http, 400, "EntityTooLarge", ""};
    S3Error too_large{"EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", "10485760"};
    CHECK(describe_failure(http, too_large, "", 30000).message ==
          "Your file exceeds the maximum size of 10 MB.");
    CHECK(describe_failure(http, too_large, "", 30000).code == "EntityTooLarge");
    CHECK(describe_failure(http, too_large, "", 30000).status == 400);

    S3Error expired{"AccessDenied", "Invalid according to Policy: Policy expired.", ""};
    CHECK(describe_failure({FailureKind::Http, 403, "AccessDenied", ""}, expired, "", 30000).message ==
          "The upload policy has expired — reload the page.");

    S3Error type{"AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$Content-Type\", \"image/\"]", ""};
    CHECK(describe_failure({FailureKind::Http, 403, "AccessDenied", ""}, type, "", 30000).message ==
          "This type of file is not accepted.");

    S3Error condition{"AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$key\", \"x\"]", ""};
    CHECK(describe_failure({FailureKind::Http, 403, "AccessDenied", ""}, condition, "", 30000).message ==
          condition.message);

    CHECK(describe_failure({FailureKind::Http, 502, "", ""}, S3Error{}, "", 30000).message ==
          "Storage answered HTTP 502.");
}

TEST_CASE("network, stall and policy failures are named") {
    CHECK(describe_failure({FailureKind::Network, 0, "", ""}, S3Error{}, "", 30000).message ==
          "Network error: could not reach storage.");
    CHECK(describe_failure({FailureKind::Stalled, 0, "", ""}, S3Error{}, "", 30000).message ==
          "The upload stalled: no progress for 30 s.");
    CHECK(describe_failure({FailureKind::Policy, 403, "", ""}, S3Error{}, "forbidden", 30000).message ==
          "Could not get an upload policy: forbidden.");
}
