// How a request frames its body, judged from its headers before a byte of the body is read.
//
// cpp-httplib 0.11 caps only Content-Length bodies (set_payload_max_length): it de-chunks
// `Transfer-Encoding: chunked` and inflates `Content-Encoding: gzip/deflate/br` bodies without
// that cap (a 1 MiB gzip body grew the process to 3 GiB), reads a POST without a length until
// the client goes quiet, takes the first of two Content-Length headers, and ignores a
// Transfer-Encoding it does not know — the differences a proxy in front can be smuggled past
// (RFC 9112 §6.1, §6.3). Browsers' XHR and fetch always send one Content-Length and never a
// Transfer-Encoding or Content-Encoding on a request, so the server takes only that framing.
#pragma once

#include <cstdint>

#include <httplib.h>

namespace s3file::server {

enum class BodyFraming {
    Accepted,
    LengthRequired,  ///< a Transfer-Encoding, or a POST/PUT/PATCH without Content-Length: 411
    BadLength,       ///< Content-Length repeated with another value, or not a plain decimal number: 400
    TooLarge,        ///< Content-Length over the port's limit: 413
    Encoded,         ///< a Content-Encoding other than identity: 415
    UnreadBody,      ///< a body on a method whose body cpp-httplib never reads (GET …): 400
};

/// The framing of `request`'s body, for a port that takes at most `max_body` bytes.
BodyFraming check_body_framing(const httplib::Request& request, std::uint64_t max_body);

}  // namespace s3file::server
