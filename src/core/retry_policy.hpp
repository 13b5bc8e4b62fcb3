// When a failed upload attempt is tried again, and after how long.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace s3file {

class Random;

/// Why an attempt ended without success.
enum class FailureKind {
    Network,   ///< no HTTP answer at all (offline, DNS, CORS, connection reset)
    Stalled,   ///< no progress event for the stall timeout; aborted by the engine
    Http,      ///< an HTTP status that is not the expected success
    BadReply,  ///< a success status whose body is not what S3 sends
    Policy,    ///< the policy source could not provide a policy
};

/// One failed attempt, as the retry policy sees it.
struct Failure {
    FailureKind kind = FailureKind::Network;
    int status = 0;           ///< HTTP status for Http failures
    std::string code;         ///< S3 error Code, or the code a policy source refused with
    std::string retry_after;  ///< Retry-After header value, if any
};

/// Retry schedule as data plus one predicate (style.md "Data, not flags").
struct RetryPolicy {
    /// Delay before attempt n+1 after the n-th failure; the length bounds the retries.
    /// Default {0, 1000, 3000, 5000} ms: the schedule tus-js-client ships, proven in practice.
    std::vector<std::uint32_t> delays_ms{0, 1000, 3000, 5000};
    /// Each delay is drawn uniformly from [d·(1−jitter), d·(1+jitter)] so that many
    /// clients failing together (a 503 SlowDown burst) do not retry in lock-step (AWS guidance).
    double jitter = 0.2;
    /// Upper bound for a server's Retry-After, so a bogus header cannot park an upload for hours.
    std::uint32_t max_retry_after_ms = 60000;
    /// Abort an attempt after this long without a progress event. 30 s: long enough for
    /// a slow mobile link to report progress, short enough that a user does not give up.
    std::uint32_t stall_timeout_ms = 30000;

    /// True when this failure may succeed on another attempt.
    bool should_retry(const Failure& failure) const;
    /// Delay before the next attempt; `failures` counts failures since the last reset (≥ 1).
    /// Returns false when the schedule is exhausted.
    bool next_delay(std::uint32_t failures, const Failure& failure, Random& random,
                    std::uint64_t& delay_ms) const;
};

/// Parses a Retry-After header in its delta-seconds form; returns false otherwise.
bool parse_retry_after_ms(const std::string& value, std::uint64_t& ms);

}  // namespace s3file
