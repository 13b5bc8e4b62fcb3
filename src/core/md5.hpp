// MD5 (RFC 1321) for S3's Content-MD5 header on each multipart part (RFC 1864: base64 of the
// 16-byte digest). The browser's SubtleCrypto has no MD5 and the wasm build has no OpenSSL, so
// the engine carries this small incremental one; it hashes a part in bounded chunks.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace s3file {

/// Incremental MD5: update() any number of times with any chunk sizes, then finish() once.
class Md5 {
public:
    using Digest = std::array<std::uint8_t, 16>;
    Md5();
    void update(const std::uint8_t* data, std::size_t size);
    /// The digest; the object must not be updated afterwards.
    Digest finish();

private:
    void block(const std::uint8_t* data);
    std::uint32_t state_[4];
    std::uint64_t length_ = 0;  ///< bytes hashed so far
    std::uint8_t buffer_[64];   ///< a partial block waiting for more bytes
};

/// Standard base64 with padding (RFC 4648 §4), as Content-MD5 wants it.
std::string base64_encode(const std::uint8_t* data, std::size_t size);

/// Lower-case hex, as S3 writes an MD5 inside an ETag.
std::string hex_encode(const std::uint8_t* data, std::size_t size);

}  // namespace s3file
