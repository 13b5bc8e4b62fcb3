#include "app/static_files.hpp"

#include <cstdio>
#include <regex>
#include <system_error>

#include "http/http_util.hpp"

namespace s3file::server {

namespace fs = std::filesystem;

namespace {

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

/// `path` under `root` once both are resolved (symbolic links followed): no way out of dist/.
bool inside(const fs::path& root, const fs::path& path) {
    std::error_code error;
    const fs::path real_root = fs::canonical(root, error);
    if (error) return false;
    const fs::path real = fs::canonical(path, error);
    if (error) return false;
    auto r = real_root.begin();
    auto p = real.begin();
    for (; r != real_root.end(); ++r, ++p)
        if (p == real.end() || *p != *r) return false;
    return true;
}

/// The file for a request path, or empty: no empty, dot or dot-dot segments, no backslashes
/// (another separator elsewhere) or NULs.
fs::path resolve(const fs::path& root, const std::string& path) {
    if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos || path.find('\\') != std::string::npos)
        return {};
    fs::path file = root;
    for (const std::string& segment : split(path.substr(1), '/')) {
        if (segment.empty() || segment[0] == '.') return {};
        file /= segment;
    }
    // A missing file has no canonical path; what is not a regular file choose() turns down.
    return inside(root, file) ? file : fs::path{};
}

struct Variant {
    fs::path file;
    std::uint64_t size = 0;
    fs::file_time_type modified;
    std::string coding;  // empty: the file itself
};

bool stat(const fs::path& file, Variant& variant) {
    std::error_code error;
    if (!fs::is_regular_file(file, error)) return false;
    variant.file = file;
    variant.size = fs::file_size(file, error);
    if (error) return false;
    variant.modified = fs::last_write_time(file, error);
    return !error;
}

/// The encoding to send: a sibling the client accepts, else the file itself. Siblings are the
/// build's (scripts/dist.mjs writes dist/ afresh), as nginx's gzip_static trusts them: their
/// times say nothing once a deploy copies the folder.
Variant choose(const fs::path& file, const std::string& accept_encoding) {
    Variant original;
    if (!stat(file, original)) return {};
    for (const auto& [coding, suffix] : {std::pair<const char*, const char*>{"br", ".br"}, {"gzip", ".gz"}}) {
        Variant sibling;
        if (!accepts_encoding(accept_encoding, coding) || !stat(fs::path(file.string() + suffix), sibling)) continue;
        sibling.coding = coding;
        return sibling;
    }
    return original;
}

std::string etag_of(const Variant& variant) {
    char text[80];
    std::snprintf(text, sizeof text, "\"%llx-%llx%s%s\"", static_cast<unsigned long long>(variant.size),
                  static_cast<unsigned long long>(variant.modified.time_since_epoch().count()),
                  variant.coding.empty() ? "" : "-", variant.coding.c_str());
    return text;
}

/// If-None-Match names `etag` (weak comparison, as RFC 9110 asks for it) or is "*".
bool matches(const std::string& if_none_match, const std::string& etag) {
    for (std::string tag : split(if_none_match, ',')) {
        tag = trim(tag);
        if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);
        if (tag == "*" || tag == etag) return true;
    }
    return false;
}

}  // namespace

std::string static_content_type(const std::string& name) {
    const auto dot = name.rfind('.');
    const std::string extension = dot == std::string::npos ? "" : ascii_lower(name.substr(dot + 1));
    static const std::pair<const char*, const char*> types[] = {
        {"js", "text/javascript"},         {"mjs", "text/javascript"},
        {"wasm", "application/wasm"},      {"css", "text/css"},
        {"html", "text/html; charset=utf-8"}, {"json", "application/json"},
        {"map", "application/json"},       {"ts", "text/plain; charset=utf-8"},
        {"txt", "text/plain; charset=utf-8"}, {"svg", "image/svg+xml"},
        {"png", "image/png"},              {"ico", "image/x-icon"},
    };
    for (const auto& [ext, type] : types)
        if (extension == ext) return type;
    return "application/octet-stream";
}

std::string static_cache_control(const std::string& name) {
    static const std::regex hashed(".*-[A-Z0-9]{8}\\.(js|wasm)");
    return std::regex_match(name, hashed) ? "public, max-age=31536000, immutable" : "no-cache";
}

bool accepts_encoding(const std::string& accept_encoding, const std::string& coding) {
    for (const std::string& item : split(accept_encoding, ',')) {
        const auto semicolon = item.find(';');
        const std::string name = ascii_lower(trim(item.substr(0, semicolon)));
        if (name != coding && name != "*") continue;
        if (semicolon == std::string::npos) return true;
        // "q=0", "q=0.0", "q=0.000": refused; any other weight accepts.
        const std::string parameters = ascii_lower(trim(item.substr(semicolon + 1)));
        static const std::regex zero("q\\s*=\\s*0(\\.0{0,3})?");
        return !std::regex_match(parameters, zero);
    }
    return false;
}

void serve_static(const fs::path& root, const std::string& path, const httplib::Request& request,
                  httplib::Response& response) {
    const fs::path file = resolve(root, path);
    const Variant variant = file.empty() ? Variant{} : choose(file, request.get_header_value("Accept-Encoding"));
    if (variant.file.empty()) {
        response.status = 404;  // the app's error page (JSON) says so
        return;
    }
    const std::string name = file.filename().string();
    const std::string etag = etag_of(variant);
    response.set_header("ETag", etag);
    response.set_header("Cache-Control", static_cache_control(name));
    // Caches keep one copy per encoding.
    response.set_header("Vary", "Accept-Encoding");
    if (matches(request.get_header_value("If-None-Match"), etag)) {
        response.status = 304;
        return;
    }
    // A content provider: cpp-httplib compresses set_content() bodies, never these.
    if (!variant.coding.empty()) response.set_header("Content-Encoding", variant.coding);
    if (send_file(request, response, variant.file.string(), variant.size, static_content_type(name))) return;
    response.status = 416;  // the app's error page (JSON) says so, not encoded
    response.headers.erase("Content-Encoding");
    unsatisfiable_range(response, variant.size);
}

}  // namespace s3file::server
