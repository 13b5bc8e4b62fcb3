#include "app/form_verifier.hpp"

#include "signing/crypto.hpp"
#include "signing/django_signer.hpp"

namespace s3file::server {

std::string normalise_key(const std::string& key, bool& has_dotdot, bool& absolute) {
    std::string path = key;
    for (char& c : path)
        if (c == '\\') c = '/';  // Windows-style separators count (a Windows storage backend would)
    absolute = !path.empty() && path.front() == '/';
    has_dotdot = false;
    std::string out;
    std::size_t from = 0;
    while (from <= path.size()) {
        std::size_t at = path.find('/', from);
        if (at == std::string::npos) at = path.size();
        const std::string part = path.substr(from, at - from);
        if (part == "..") has_dotdot = true;
        if (!part.empty() && part != ".") out += (out.empty() ? "" : "/") + part;
        from = at + 1;
    }
    return out;
}

KeyVerdict verify_key(const std::string& key, const std::vector<std::string>& signatures,
                      const std::string& upload_prefix, const std::string& secret) {
    bool dotdot = false, absolute = false, prefix_dotdot = false, prefix_absolute = false;
    const std::string path = normalise_key(key, dotdot, absolute);
    const std::string prefix = normalise_key(upload_prefix, prefix_dotdot, prefix_absolute);
    if (key.find('\0') != std::string::npos) return {false, "the key contains a NUL character"};
    if (dotdot) return {false, "the key contains a '..' segment"};
    if (absolute) return {false, "the key is an absolute path"};
    if (path.rfind(prefix + "/", 0) != 0) return {false, "the key is outside the upload folder"};
    const std::size_t slash = path.rfind('/');
    const std::string parent = path.substr(0, slash);
    if (parent == prefix) return {false, "the key is in the upload folder's root, not in a signed folder"};
    const std::string expected = django_signature(secret, kS3FileSalt, parent);
    for (const auto& signature : signatures)
        if (equal_constant_time(expected, signature)) return {true, ""};
    return {false, "the key's folder signature does not match"};
}

}  // namespace s3file::server
