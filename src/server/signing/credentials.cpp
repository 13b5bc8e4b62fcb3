#include "signing/credentials.hpp"

#include <cstdlib>

#include "signing/crypto.hpp"

namespace s3file::server {

Credentials credentials_from_environment(bool& found) {
    auto env = [](const char* name) {
        const char* value = std::getenv(name);
        return std::string(value ? value : "");
    };
    Credentials credentials{env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")};
    found = !credentials.access_key.empty() && !credentials.secret_key.empty();
    if (!found) {
        // AWS-shaped: 20 upper-case characters for the key id, 40 for the secret.
        std::string id = "AKIAS3F" + random_token(7);
        for (char& c : id)
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        credentials = {id.substr(0, 20), base64_encode(random_bytes(30)), ""};
    }
    return credentials;
}

}  // namespace s3file::server
