// Thin wrappers over OpenSSL for the few primitives the server needs. No crypto is
// implemented here: every digest and MAC is OpenSSL's.
#pragma once

#include <cstdint>
#include <string>

namespace s3file::server {

/// HMAC-SHA256 of `data` under `key`, raw 32 bytes.
std::string hmac_sha256(const std::string& key, const std::string& data);
/// SHA-256 of `data`, raw 32 bytes.
std::string sha256(const std::string& data);
/// Lower-case hex of raw bytes.
std::string to_hex(const std::string& bytes);
/// Standard base64 with padding.
std::string base64_encode(const std::string& bytes);
/// Decodes standard base64 (padding optional); false on any invalid character.
bool base64_decode(const std::string& text, std::string& out);
/// URL-safe base64 without padding (Django's signing encoding).
std::string base64url_nopad(const std::string& bytes);
/// `count` random bytes from OpenSSL's CSPRNG.
std::string random_bytes(std::size_t count);
/// Random lower-case hex token of `bytes` random bytes.
std::string random_token(std::size_t bytes);
/// Constant-time comparison (for signatures).
bool equal_constant_time(const std::string& a, const std::string& b);

/// Incremental MD5 (S3 ETags) and SHA-256 (checksums), for streaming uploads.
class StreamDigest {
public:
    enum class Kind { Md5, Sha256 };
    explicit StreamDigest(Kind kind);
    ~StreamDigest();
    StreamDigest(const StreamDigest&) = delete;
    StreamDigest& operator=(const StreamDigest&) = delete;
    void update(const char* data, std::size_t size);
    /// Raw digest; the object cannot be updated afterwards.
    std::string finish();

private:
    void* context_;
};

}  // namespace s3file::server
