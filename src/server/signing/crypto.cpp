#include "signing/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace s3file::server {

std::string hmac_sha256(const std::string& key, const std::string& data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
    return std::string(reinterpret_cast<char*>(out), length);
}

std::string sha256(const std::string& data) {
    StreamDigest digest(StreamDigest::Kind::Sha256);
    digest.update(data.data(), data.size());
    return digest.finish();
}

std::string to_hex(const std::string& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string base64_encode(const std::string& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

bool base64_decode(const std::string& text, std::string& out) {
    std::string padded = text;
    while (padded.size() % 4 != 0) padded += '=';
    // '=' only ends the text, at most twice (RFC 4648 §4): "====" once made the length below
    // wrap around (found by fuzzing).
    const std::size_t data_end = padded.find_last_not_of('=') + 1;  // 0 when all '='
    if (padded.size() - data_end > 2) return false;
    for (std::size_t i = 0; i < data_end; ++i) {
        const char c = padded[i];
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                        c == '+' || c == '/';
        if (!ok) return false;
    }
    out.assign(3 * padded.size() / 4, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(padded.data()),
                                  static_cast<int>(padded.size()));
    if (n < 0) return false;
    // EVP_DecodeBlock counts padding as zero bytes; drop them.
    std::size_t length = static_cast<std::size_t>(n);
    for (std::size_t i = padded.size(); i > 0 && padded[i - 1] == '='; --i) --length;
    out.resize(length);
    return true;
}

std::string base64url_nopad(const std::string& bytes) {
    std::string out = base64_encode(bytes);
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) {
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
    }
    return out;
}

std::string random_bytes(std::size_t count) {
    std::string out(count, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    return out;
}

std::string random_token(std::size_t bytes) { return to_hex(random_bytes(bytes)); }

bool equal_constant_time(const std::string& a, const std::string& b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

StreamDigest::StreamDigest(Kind kind) : context_(EVP_MD_CTX_new()) {
    auto* ctx = static_cast<EVP_MD_CTX*>(context_);
    if (ctx == nullptr || EVP_DigestInit_ex(ctx, kind == Kind::Md5 ? EVP_md5() : EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("OpenSSL digest init failed");
}

StreamDigest::~StreamDigest() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context_)); }

void StreamDigest::update(const char* data, std::size_t size) {
    EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(context_), data, size);
}

std::string StreamDigest::finish() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(context_), out, &length);
    return std::string(reinterpret_cast<char*>(out), length);
}

}  // namespace s3file::server
