#include "signing/django_signer.hpp"

#include "signing/crypto.hpp"

namespace s3file::server {

std::string django_signature(const std::string& secret, const std::string& salt,
                             const std::string& value) {
    // django.utils.crypto.salted_hmac: key = sha256(key_salt + secret), here key_salt = salt + "signer".
    const std::string key = sha256(salt + "signer" + secret);
    return base64url_nopad(hmac_sha256(key, value));
}

}  // namespace s3file::server
