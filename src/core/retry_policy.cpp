#include "retry_policy.hpp"

#include "ports.hpp"

namespace s3file {

bool RetryPolicy::should_retry(const Failure& failure) const {
    switch (failure.kind) {
    case FailureKind::Network:
    case FailureKind::Stalled:
        return true;
    case FailureKind::BadReply:
        return false;
    case FailureKind::Policy:
        // A named refusal (FileTooLarge, TypeNotAccepted, …) is a verdict on the file.
        if (!failure.code.empty()) return false;
        // Otherwise the policy endpoint is our own app server: treat it like any HTTP peer.
        return failure.status == 0 || failure.status == 408 || failure.status == 429 ||
               failure.status >= 500;
    case FailureKind::Http:
        break;
    }
    // S3 says a client was too slow (RequestTimeout, sent as 400) or asks to slow down.
    if (failure.code == "RequestTimeout" || failure.code == "SlowDown" ||
        failure.code == "InternalError" || failure.code == "ServiceUnavailable")
        return true;
    if (failure.status == 408 || failure.status == 429 || failure.status >= 500)
        return true;
    // Any other 4xx is a verdict (policy violation, access denied): retrying cannot help.
    return false;
}

bool parse_retry_after_ms(const std::string& value, std::uint64_t& ms) {
    std::size_t begin = value.find_first_not_of(" \t");
    std::size_t end = value.find_last_not_of(" \t");
    if (begin == std::string::npos) return false;
    std::uint64_t seconds = 0;
    for (std::size_t i = begin; i <= end; ++i) {
        char c = value[i];
        if (c < '0' || c > '9') return false;  // HTTP-date form: not supported, ignored
        seconds = seconds * 10 + static_cast<std::uint64_t>(c - '0');
        if (seconds > 86400) seconds = 86400;  // clamp before overflow; capped later anyway
    }
    ms = seconds * 1000;
    return true;
}

bool RetryPolicy::next_delay(std::uint32_t failures, const Failure& failure, Random& random,
                             std::uint64_t& delay_ms) const {
    if (failures == 0 || failures > delays_ms.size()) return false;
    const double base = delays_ms[failures - 1];
    // Uniform in [0, 1) from 32 random bits.
    const double unit = random.next_u32() / 4294967296.0;
    const double factor = 1.0 - jitter + 2.0 * jitter * unit;
    delay_ms = static_cast<std::uint64_t>(base * factor);
    std::uint64_t server_ms = 0;
    if (parse_retry_after_ms(failure.retry_after, server_ms)) {
        if (server_ms > max_retry_after_ms) server_ms = max_retry_after_ms;
        if (server_ms > delay_ms) delay_ms = server_ms;
    }
    return true;
}

}  // namespace s3file
