#include "app/file_refusal.hpp"

#include "http/json_input.hpp"

namespace s3file::server {

using nlohmann::ordered_json;

namespace {

// Most file systems cap a name at 255 bytes (NAME_MAX); 100 characters keeps everyday names
// whole and a message readable.
constexpr std::size_t kMaxShownChars = 100;
constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD
constexpr char kEllipsis[] = "\xE2\x80\xA6";     // U+2026

std::uint32_t code_point(const std::string& text, std::size_t at, std::size_t length) {
    const auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(text[at + k])); };
    if (length == 1) return byte(0);
    std::uint32_t value = byte(0) & (0xFFu >> (length + 1));
    for (std::size_t k = 1; k < length; ++k) value = (value << 6) | (byte(k) & 0x3F);
    return value;
}

// C0/C1 controls and DEL would break a message's line; the bidirectional marks, embeddings,
// overrides and isolates (Unicode TR #9) can make "gpj.exe" read as "exe.jpg".
bool unfit_for_display(std::uint32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
           c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

std::string in_bytes(std::uint64_t bytes) { return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes"); }

/// "10 MB", "1.5 GB", "512 bytes": binary units, one decimal dropped when zero, as Django's
/// filesizeformat prints them (and the widget's Intl formatting). Whole and remainder are
/// rounded separately so no product overflows, up to the 2^63 - 1 bytes a client may claim.
std::string shown_size(std::uint64_t bytes) {
    static const char* const units[] = {"KB", "MB", "GB", "TB", "PB", "EB"};
    if (bytes < 1024) return in_bytes(bytes);
    std::uint64_t unit = 1024;
    int index = 0;
    while (index < 5 && bytes / unit >= 1024) {
        unit *= 1024;
        ++index;
    }
    std::uint64_t whole = bytes / unit;
    std::uint64_t tenths = ((bytes % unit) * 10 + unit / 2) / unit;  // remainder < unit <= 2^60
    if (tenths == 10) {
        ++whole;
        tenths = 0;
    }
    return std::to_string(whole) + (tenths ? "." + std::to_string(tenths) : "") + " " + units[index];
}

// "1 MB" for both a limit of 1,048,576 bytes and a file one byte larger says nothing: then both
// sizes are given in bytes.
std::string too_large_message(const std::string& name, std::uint64_t size, std::uint64_t limit) {
    std::string shown_file = shown_size(size), shown_limit = shown_size(limit);
    if (shown_file == shown_limit) {
        shown_file = in_bytes(size);
        shown_limit = in_bytes(limit);
    }
    return name + " is " + shown_file + "; the largest file accepted is " + shown_limit + ".";
}

std::string accepted_list(const std::vector<std::string>& accept) {
    std::string text;
    for (const auto& rule : accept) text += (text.empty() ? "" : ", ") + display_name(rule, kMaxShownChars);
    return text;
}

}  // namespace

FileRefusal check_file(const IssuerConfig& config, const FileRequest& file) {
    const std::string name = display_name(file.name, kMaxShownChars);
    // The type first: storage checks the policy's conditions before the file's length, and a
    // smaller file of the same type would be refused all the same.
    //
    // An empty type (the browser does not know it) with an accept list: the issued policy would
    // pin the only rule when there is one (the widget then sends an empty Content-Type and storage
    // refuses), and with several rules leave Content-Type open (`starts-with ""`), because a POST
    // policy cannot express a list; that open policy would store any type despite --accept. So an
    // empty type is refused whenever there is an accept list: --accept is never bypassed by
    // leaving the type out. The open policy remains only for /form's seed-style inputs, whose
    // files are unknown when the page is rendered.
    if (!config.accept.empty() && (file.type.empty() || !type_accepted(config.accept, file.type))) {
        const std::string what = file.type.empty() ? "files of unknown type"
                                                   : "files of type " + display_name(file.type, kMaxShownChars);
        return {RefusalCode::TypeNotAccepted,
                name + ": " + what + " are not accepted (accepted: " + accepted_list(config.accept) + ")."};
    }
    // content-length-range 0..max_size is inclusive (protocol.md §1): max_size itself passes.
    if (file.size > config.max_size)
        return {RefusalCode::FileTooLarge, too_large_message(name, file.size, config.max_size)};
    return {};
}

ordered_json refusal_to_json(const FileRefusal& refusal, const IssuerConfig& config) {
    switch (refusal.code) {
    case RefusalCode::FileTooLarge:
        return {{"code", "FileTooLarge"}, {"error", refusal.message}, {"limit", config.max_size}};
    case RefusalCode::TypeNotAccepted:
        return {{"code", "TypeNotAccepted"}, {"error", refusal.message}, {"accept", accept_attribute(config.accept)}};
    case RefusalCode::None:
        break;
    }
    return ordered_json::object();
}

std::string refusal_summary(std::size_t refused, std::size_t total) {
    return std::to_string(refused) + " of " + std::to_string(total) + (total == 1 ? " file " : " files ") +
           (refused == 1 ? "was" : "were") + " refused.";
}

std::string display_name(const std::string& name, std::size_t max_chars) {
    std::string clean;  // valid UTF-8 from here on
    std::size_t count = 0;
    for (std::size_t i = 0; i < name.size(); ++count) {
        const std::size_t length = utf8_sequence_length(name, i);
        if (length == 0 || unfit_for_display(code_point(name, i, length)))
            clean += kReplacement;
        else
            clean.append(name, i, length);
        i += length == 0 ? 1 : length;
    }
    if (count <= max_chars) return clean;
    const std::size_t tail = max_chars < 3 ? 0 : (max_chars - 1) * 3 / 10;  // 29 of 100: ".tar.gz" and more
    const std::size_t head = max_chars < 3 ? max_chars : max_chars - 1 - tail;
    std::size_t head_end = 0, tail_start = clean.size();
    for (std::size_t k = 0, at = 0; at < clean.size(); ++k) {
        if (k == head) head_end = at;
        if (k == count - tail) tail_start = at;
        at += utf8_sequence_length(clean, at);
    }
    return clean.substr(0, head_end) + (tail == 0 ? "" : kEllipsis) + clean.substr(tail_start);
}

std::string accept_attribute(const std::vector<std::string>& accept) {
    std::string text;
    for (const auto& rule : accept) text += (text.empty() ? "" : ",") + rule;
    return text;
}

}  // namespace s3file::server
