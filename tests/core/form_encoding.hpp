// multipart/form-data as a browser encodes a FormData of a body plan (the HTML standard's
// algorithm, protocol.md §2): the engine leaves the encoding to the browser, the tests use this
// for body sizes (progress arithmetic) and the fuzz seeds for bodies as the widget sends them.
#pragma once

#include <string>

#include "body_plan.hpp"

namespace s3file::testing {

/// `"`, CR and LF in names and filenames become %22, %0D, %0A, as browsers write them.
inline std::string escape_disposition(const std::string& value) {
    std::string out;
    for (const char c : value) out += c == '"' ? "%22" : c == '\r' ? "%0D" : c == '\n' ? "%0A" : std::string(1, c);
    return out;
}

/// Every byte before the file's: the fields, then the file part's headers.
inline std::string form_head(const BodyPlan& plan, const std::string& boundary) {
    std::string head;
    for (const auto& [name, value] : plan.fields)
        head += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + escape_disposition(name) +
                "\"\r\n\r\n" + value + "\r\n";
    const std::string& type = plan.file.type.empty() ? std::string("application/octet-stream") : plan.file.type;
    return head + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + escape_disposition(plan.file_field) +
           "\"; filename=\"" + escape_disposition(plan.file.name) + "\"\r\nContent-Type: " + type + "\r\n\r\n";
}

/// The bytes after the file's.
inline std::string form_tail(const std::string& boundary) { return "\r\n--" + boundary + "--\r\n"; }

}  // namespace s3file::testing
