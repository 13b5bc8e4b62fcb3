// MD5 against RFC 1321's test suite (appendix A.5), fed whole and in odd-sized chunks, and the
// Content-MD5 form (RFC 1864) S3 checks.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "md5.hpp"

using namespace s3file;

namespace {

const std::uint8_t* bytes(const std::string& text) { return reinterpret_cast<const std::uint8_t*>(text.data()); }

std::string md5_hex_in_chunks(const std::string& text, std::size_t chunk) {
    Md5 md5;
    for (std::size_t at = 0; at < text.size(); at += chunk)
        md5.update(bytes(text) + at, std::min(chunk, text.size() - at));
    const auto digest = md5.finish();
    return hex_encode(digest.data(), digest.size());
}

struct Vector {
    const char* input;
    const char* digest;
};

// RFC 1321, A.5 "Test suite": all seven.
const Vector kRfc1321[] = {
    {"", "d41d8cd98f00b204e9800998ecf8427e"},
    {"a", "0cc175b9c0f1b6a831c399e269772661"},
    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
    {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
    {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
    {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"},
    {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
     "57edf4a22be3c955ac49da2e2107b67a"},
};

}  // namespace

TEST_CASE("MD5 reproduces RFC 1321's test suite") {
    for (const auto& vector : kRfc1321) {
        INFO("input \"" << vector.input << "\"");
        CHECK(md5_hex_in_chunks(vector.input, 1000) == vector.digest);
    }
}

TEST_CASE("MD5 gives the same digest whatever the chunk boundaries") {
    for (const auto& vector : kRfc1321)
        for (std::size_t chunk : {1, 3, 7, 55, 63, 64, 65}) {
            INFO("input \"" << vector.input << "\" in chunks of " << chunk);
            CHECK(md5_hex_in_chunks(vector.input, chunk) == vector.digest);
        }
    // Lengths around the padding edges (55, 56, 63, 64 bytes mod 64) across many blocks,
    // compared with the one-call digest of the same bytes.
    std::string text;
    for (int i = 0; i < 1000; ++i) text += static_cast<char>(i * 131 + 7);
    for (std::size_t length : {55u, 56u, 57u, 63u, 64u, 65u, 119u, 120u, 1000u}) {
        const std::string piece = text.substr(0, length);
        const std::string whole = md5_hex_in_chunks(piece, length);
        for (std::size_t chunk : {1, 13, 61, 64, 127})
            CHECK(md5_hex_in_chunks(piece, chunk) == whole);
    }
    CHECK(md5_hex_in_chunks(std::string(1000000, 'a'), 4093) == "7707d6ae4e027c70eea2a935c2296f21");
}

TEST_CASE("Content-MD5 is the base64 of the digest (RFC 1864)") {
    Md5 md5;
    md5.update(bytes("abc"), 3);
    const auto digest = md5.finish();
    CHECK(base64_encode(digest.data(), digest.size()) == "kAFQmDzST7DWlj99KOF/cg==");
    // RFC 4648 §10's base64 test vectors, for the padding cases.
    CHECK(base64_encode(bytes(""), 0) == "");
    CHECK(base64_encode(bytes("f"), 1) == "Zg==");
    CHECK(base64_encode(bytes("fo"), 2) == "Zm8=");
    CHECK(base64_encode(bytes("foo"), 3) == "Zm9v");
    CHECK(base64_encode(bytes("foob"), 4) == "Zm9vYg==");
    CHECK(base64_encode(bytes("foobar"), 6) == "Zm9vYmFy");
}
