// Hand-built multipart/form-data requests, for bodies no well-behaved client would send.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

struct Part {
    std::string name;
    std::string value;
    std::string filename;  ///< non-empty: a file part
    std::string type;
};

constexpr const char* kBoundary = "----s3filetestboundary7MA4YWxkTrZu0gW";

inline std::string part_text(const Part& part, const std::string& boundary = kBoundary) {
    std::string text = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name + "\"";
    if (!part.filename.empty()) text += "; filename=\"" + part.filename + "\"";
    text += "\r\n";
    if (!part.type.empty()) text += "Content-Type: " + part.type + "\r\n";
    return text + "\r\n" + part.value + "\r\n";
}

inline std::string multipart_body(const std::vector<Part>& parts, const std::string& boundary = kBoundary) {
    std::string body;
    for (const auto& part : parts) body += part_text(part, boundary);
    return body + "--" + boundary + "--\r\n";
}

/// Request line and headers of a multipart POST of `length` body bytes.
inline std::string post_head(const std::string& path, std::uint64_t length, const std::string& boundary = kBoundary) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=" + boundary +
           "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n";
}

/// The policy's fields (and a Content-Type) as the widget sends them before the file.
inline std::vector<Part> policy_parts(const nlohmann::json& policy, const std::string& key = "") {
    std::vector<Part> parts;
    for (const auto& [name, value] : policy["fields"].items())
        parts.push_back({name, name == "key" && !key.empty() ? key : value.get<std::string>(), "", ""});
    if (!policy["fields"].contains("Content-Type")) parts.push_back({"Content-Type", "text/plain", "", ""});
    return parts;
}
