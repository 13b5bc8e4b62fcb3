#include "failure_message.hpp"

namespace s3file {

namespace {

/// 0 unless `text` is a decimal number that fits (S3's MaxSizeAllowed / MinSizeAllowed).
std::uint64_t parse_u64(const std::string& text) {
    if (text.empty() || text.size() > 19) return 0;
    std::uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return 0;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

bool contains(const std::string& haystack, const char* needle) {
    return haystack.find(needle) != std::string::npos;
}

// S3 words every policy-condition refusal as AccessDenied; the two a user can act on get
// their own codes (the message names the expiry or the failed $Content-Type condition).
UploadError http_error(const Failure& failure, const S3Error& s3) {
    UploadError error{s3.code.empty() ? "HttpError" : s3.code, s3.message, failure.status, 0};
    if (s3.code == "EntityTooLarge")
        error.limit = parse_u64(s3.max_size_allowed);
    else if (s3.code == "EntityTooSmall")
        error.limit = parse_u64(s3.min_size_allowed);
    else if (is_policy_expired(s3))
        error.code = "PolicyExpired";
    else if (s3.code == "AccessDenied" && contains(s3.message, "$Content-Type"))
        error.code = "TypeNotAccepted";
    return error;
}

}  // namespace

bool is_policy_expired(const S3Error& s3) {
    return s3.code == "AccessDenied" && contains(s3.message, "expired");
}

UploadError describe_failure(const Failure& failure, const S3Error& s3, const std::string& detail,
                             std::uint32_t stall_timeout_ms) {
    switch (failure.kind) {
    case FailureKind::Network:
        return {"NetworkError", "", 0, 0};
    case FailureKind::Stalled:
        return {"Stalled", "", 0, stall_timeout_ms / 1000};
    case FailureKind::BadReply:
        return {"BadReply", detail, failure.status, 0};
    case FailureKind::Policy:
        // A policy server that refused the file may name why (FileTooLarge, TypeNotAccepted).
        return {failure.code.empty() ? "PolicyError" : failure.code, detail, failure.status, 0};
    case FailureKind::Http:
        break;
    }
    return http_error(failure, s3);
}

}  // namespace s3file
