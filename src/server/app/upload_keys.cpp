#include "app/upload_keys.hpp"

#include "app/form_verifier.hpp"
#include "emulator/object_store.hpp"
#include "signing/crypto.hpp"
#include "signing/django_signer.hpp"

namespace s3file::server {

namespace {

// 128 random bits name the folder (as for POST policies); 128 bits of HMAC-SHA256 prove it ours.
constexpr std::size_t kNonceBytes = 16;
constexpr std::size_t kMacHexDigits = 32;

std::string folder_mac(const std::string& secret, const std::string& nonce) {
    return to_hex(hmac_sha256(secret, "s3file.multipart.folder:" + nonce)).substr(0, kMacHexDigits);
}

}  // namespace

std::string upload_key_name(const std::string& filename) {
    const std::size_t slash = filename.find_last_of("/\\");
    std::string name = slash == std::string::npos ? filename : filename.substr(slash + 1);
    for (char& c : name)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '_';
    if (name == "." || name == "..") name.clear();
    return name;
}

bool issue_upload_key(const std::string& prefix, const std::string& secret, const std::string& filename,
                      IssuedKey& out, std::string& error) {
    const std::string name = upload_key_name(filename);
    if (name.empty() || name.size() > kMaxUploadNameBytes) {
        error = "the file name must be 1 to 255 bytes after its last '/'";
        return false;
    }
    const std::string nonce = random_token(kNonceBytes);
    out.folder = prefix + "/" + nonce + "-" + folder_mac(secret, nonce);
    out.key = out.folder + "/" + name;
    if (S3Failure failure = check_object_key(out.key)) {
        error = "the file name cannot make an object key: " + failure.message;
        return false;
    }
    out.signature = django_signature(secret, kS3FileSalt, out.folder);
    return true;
}

std::string upload_key_refusal(const std::string& prefix, const std::string& secret, const std::string& key) {
    if (check_object_key(key)) return "the key is not a valid object key";
    bool dotdot = false, absolute = false;
    if (normalise_key(key, dotdot, absolute) != key || dotdot || absolute) return "the key is not in normal form";
    if (key.compare(0, prefix.size() + 1, prefix + "/") != 0) return "the key is outside the upload folder";
    const std::string rest = key.substr(prefix.size() + 1);
    const std::size_t slash = rest.find('/');
    if (slash == std::string::npos || rest.find('/', slash + 1) != std::string::npos)
        return "the key is not <upload folder>/<signed folder>/<file name>";
    const std::string token = rest.substr(0, slash);
    const std::size_t dash = token.find('-');
    if (dash != kNonceBytes * 2 || token.size() != dash + 1 + kMacHexDigits) return "the key's folder was not issued here";
    if (!equal_constant_time(folder_mac(secret, token.substr(0, dash)), token.substr(dash + 1)))
        return "the key's folder signature does not verify";
    return "";
}

}  // namespace s3file::server
