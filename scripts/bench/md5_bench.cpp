// The engine's MD5 (src/core/md5.cpp, built with the engine's flags) behind three exports, so
// `npm run bench` can time Content-MD5 hashing in the browser apart from the network: the
// multipart upload's speed is bounded by min(hashing, sending) per connection.
#include <cstdint>
#include <cstdlib>

#include <emscripten/emscripten.h>

#include "md5.hpp"

namespace {
s3file::Md5* hashing = nullptr;
}

extern "C" {

EMSCRIPTEN_KEEPALIVE void md5_bench_begin() {
    delete hashing;
    hashing = new s3file::Md5();
}

EMSCRIPTEN_KEEPALIVE void md5_bench_update(const std::uint8_t* data, std::uint32_t size) {
    hashing->update(data, size);
}

/// The digest's first byte, so the work cannot be optimised away and the page can check it.
EMSCRIPTEN_KEEPALIVE std::uint32_t md5_bench_finish() {
    const auto digest = hashing->finish();
    return digest[0];
}

}
