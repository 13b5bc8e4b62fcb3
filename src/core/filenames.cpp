#include "filenames.hpp"

namespace s3file {

std::string safe_basename(const std::string& name) {
    if (name.empty() || name == "." || name == "..") return "_";
    std::string out = name;
    // Control characters too (a tab or newline is legal in a Linux or macOS name): S3 stores
    // them, but XML 1.0 cannot list such keys and the app server refuses them (its own keys
    // replace them the same way, src/server/app/upload_keys.cpp), so the file could never land.
    for (char& c : out)
        if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '_';
    return out;
}

std::string substitute_filename(const std::string& key, const std::string& filename) {
    const std::string variable = kFilenameVariable;
    std::string out;
    std::size_t from = 0;
    for (;;) {
        const std::size_t at = key.find(variable, from);
        if (at == std::string::npos) break;
        out.append(key, from, at - from);
        out += filename;
        from = at + variable.size();
    }
    out.append(key, from, std::string::npos);
    return out;
}

std::string numbered_name(const std::string& name, unsigned n) {
    // " (n)" written backwards into a buffer (10 digits hold any 32-bit unsigned), then inserted
    // once: growing a string at its front digit by digit costs far more wasm than this loop.
    char buffer[16];
    char* first = buffer + sizeof buffer;
    *--first = ')';
    do {
        *--first = static_cast<char>('0' + n % 10);
        n /= 10;
    } while (n != 0);
    *--first = '(';
    *--first = ' ';
    // The extension starts at the last dot, unless that dot starts the name (".env").
    const std::size_t dot = name.rfind('.');
    std::string out = name;
    out.insert(dot == std::string::npos || dot == 0 ? name.size() : dot, first,
               static_cast<std::size_t>(buffer + sizeof buffer - first));
    return out;
}

std::uint32_t key_hash_of(const char* key) {
    std::uint32_t hash = 0;
    while (*key != '\0') hash = hash * 31 + static_cast<unsigned char>(*key++);
    return hash;
}

}  // namespace s3file
