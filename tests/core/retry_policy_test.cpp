#include <catch2/catch.hpp>

#include "core/fakes.hpp"
#include "retry_policy.hpp"

using namespace s3file;
using s3file::testing::SequenceRandom;

TEST_CASE("retryable failures") {
    RetryPolicy policy;
    CHECK(policy.should_retry({FailureKind::Network, 0, "", ""}));
    CHECK(policy.should_retry({FailureKind::Stalled, 0, "", ""}));
    for (int status : {408, 429, 500, 502, 503, 504})
        CHECK(policy.should_retry({FailureKind::Http, status, "", ""}));
    CHECK(policy.should_retry({FailureKind::Http, 400, "RequestTimeout", ""}));
    CHECK(policy.should_retry({FailureKind::Http, 503, "SlowDown", ""}));
    CHECK(policy.should_retry({FailureKind::Policy, 0, "", ""}));
    CHECK(policy.should_retry({FailureKind::Policy, 503, "", ""}));
}

TEST_CASE("verdicts are not retried") {
    RetryPolicy policy;
    CHECK_FALSE(policy.should_retry({FailureKind::Http, 403, "AccessDenied", ""}));
    CHECK_FALSE(policy.should_retry({FailureKind::Http, 403, "SignatureDoesNotMatch", ""}));
    CHECK_FALSE(policy.should_retry({FailureKind::Http, 400, "EntityTooLarge", ""}));
    CHECK_FALSE(policy.should_retry({FailureKind::Http, 400, "InvalidPolicyDocument", ""}));
    CHECK_FALSE(policy.should_retry({FailureKind::Http, 404, "", ""}));
    CHECK_FALSE(policy.should_retry({FailureKind::BadReply, 201, "", ""}));
    CHECK_FALSE(policy.should_retry({FailureKind::Policy, 403, "", ""}));
    // A policy source (or the page's own pre-check) that names why it refused the file.
    CHECK_FALSE(policy.should_retry({FailureKind::Policy, 0, "FileTooLarge", ""}));
    CHECK_FALSE(policy.should_retry({FailureKind::Policy, 503, "TypeNotAccepted", ""}));
}

TEST_CASE("delays follow the schedule with bounded jitter and then run out") {
    RetryPolicy policy;
    SequenceRandom low({0});             // factor 1 - jitter
    SequenceRandom high({0xFFFFFFFFu});  // factor just under 1 + jitter
    const Failure failure{FailureKind::Network, 0, "", ""};
    std::uint64_t delay = 99;
    REQUIRE(policy.next_delay(1, failure, low, delay));
    CHECK(delay == 0);
    REQUIRE(policy.next_delay(2, failure, low, delay));
    CHECK(delay == 800);
    REQUIRE(policy.next_delay(3, failure, high, delay));
    CHECK(delay >= 3599);
    CHECK(delay <= 3600);
    REQUIRE(policy.next_delay(4, failure, low, delay));
    CHECK(delay == 4000);
    CHECK_FALSE(policy.next_delay(5, failure, low, delay));
    CHECK_FALSE(policy.next_delay(0, failure, low, delay));
}

TEST_CASE("Retry-After raises the delay, within a cap") {
    RetryPolicy policy;
    SequenceRandom random({0x80000000u});  // factor exactly 1
    std::uint64_t delay = 0;
    REQUIRE(policy.next_delay(2, {FailureKind::Http, 503, "SlowDown", "7"}, random, delay));
    CHECK(delay == 7000);
    REQUIRE(policy.next_delay(2, {FailureKind::Http, 503, "SlowDown", "0"}, random, delay));
    CHECK(delay == 1000);  // a shorter Retry-After does not shorten our backoff
    REQUIRE(policy.next_delay(2, {FailureKind::Http, 503, "", "999999"}, random, delay));
    CHECK(delay == policy.max_retry_after_ms);
    REQUIRE(policy.next_delay(2, {FailureKind::Http, 503, "", "Wed, 21 Oct 2015 07:28:00 GMT"}, random, delay));
    CHECK(delay == 1000);
}

TEST_CASE("Retry-After parsing") {
    std::uint64_t ms = 0;
    CHECK(parse_retry_after_ms(" 12 ", ms));
    CHECK(ms == 12000);
    CHECK_FALSE(parse_retry_after_ms("", ms));
    CHECK_FALSE(parse_retry_after_ms("-1", ms));
    CHECK_FALSE(parse_retry_after_ms("1.5", ms));
}
