// Django's Signer(salt=…).signature(value), as django-s3file's middleware uses it (protocol.md §3).
#pragma once

#include <string>

namespace s3file::server {

/// The salt django-s3file signs upload folders with.
constexpr char kS3FileSalt[] = "s3file.middleware.S3FileMiddleware";

/// urlsafe_b64(HMAC-SHA256(SHA256(salt + "signer" + secret), value)) without padding: 43 chars.
std::string django_signature(const std::string& secret, const std::string& salt,
                             const std::string& value);

}  // namespace s3file::server
