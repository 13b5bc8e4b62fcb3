#include "failure_message.hpp"

namespace s3file {

namespace {

std::string digits(std::uint64_t value) {
    std::string out;
    do {
        out.insert(out.begin(), static_cast<char>('0' + value % 10));
        value /= 10;
    } while (value != 0);
    return out;
}

bool parse_u64(const std::string& text, std::uint64_t& value) {
    if (text.empty() || text.size() > 19) return false;
    value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return true;
}

bool contains(const std::string& haystack, const char* needle) {
    return haystack.find(needle) != std::string::npos;
}

UploadError http_error(const Failure& failure, const S3Error& s3) {
    UploadError error{s3.code.empty() ? "HttpError" : s3.code, "", failure.status};
    std::uint64_t max_size = 0;
    if (s3.code == "EntityTooLarge" && parse_u64(s3.max_size_allowed, max_size))
        error.message = "Your file exceeds the maximum size of " + human_size(max_size) + ".";
    else if (s3.code == "EntityTooLarge")
        error.message = "Your file exceeds the maximum size allowed.";
    else if (s3.code == "EntityTooSmall")
        error.message = "Your file is smaller than the minimum size allowed.";
    else if (s3.code == "AccessDenied" && contains(s3.message, "expired"))
        error.message = "The upload policy has expired — reload the page.";
    else if (s3.code == "AccessDenied" && contains(s3.message, "$Content-Type"))
        error.message = "This type of file is not accepted.";
    else if (!s3.message.empty())
        error.message = s3.message;
    else if (!s3.code.empty())
        error.message = "Storage refused the upload (" + s3.code + ").";
    else
        error.message = "Storage answered HTTP " + digits(static_cast<std::uint64_t>(failure.status)) + ".";
    return error;
}

}  // namespace

std::string human_size(std::uint64_t bytes) {
    static const char* const units[] = {"KB", "MB", "GB", "TB", "PB"};
    if (bytes < 1024) return digits(bytes) + (bytes == 1 ? " byte" : " bytes");
    std::uint64_t unit = 1024;
    int index = 0;
    while (index < 4 && bytes / unit >= 1024) {
        unit *= 1024;
        ++index;
    }
    // One decimal, rounded half up, dropped when it is zero ("10 MB", "1.5 GB").
    const std::uint64_t tenths = (bytes * 10 + unit / 2) / unit;
    std::string text = digits(tenths / 10);
    if (tenths % 10 != 0) text += "." + digits(tenths % 10);
    return text + " " + units[index];
}

UploadError describe_failure(const Failure& failure, const S3Error& s3, const std::string& detail,
                             std::uint32_t stall_timeout_ms) {
    switch (failure.kind) {
    case FailureKind::Network:
        return {"NetworkError", "Network error: could not reach storage.", 0};
    case FailureKind::Stalled:
        return {"Stalled",
                "The upload stalled: no progress for " + digits(stall_timeout_ms / 1000) + " s.",
                0};
    case FailureKind::BadReply:
        return {"BadReply", "Storage sent an unexpected reply: " + detail + ".", failure.status};
    case FailureKind::Policy:
        return {"PolicyError",
                "Could not get an upload policy" + (detail.empty() ? std::string(".")
                                                                    : ": " + detail + "."),
                failure.status};
    case FailureKind::Http:
        break;
    }
    return http_error(failure, s3);
}

}  // namespace s3file
