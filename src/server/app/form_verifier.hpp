// What django-s3file's middleware does with a submitted form (protocol.md §3): each key a
// field lists must lie in a signed per-upload folder inside the upload prefix.
#pragma once

#include <string>
#include <vector>

namespace s3file::server {

struct KeyVerdict {
    bool ok = false;
    std::string reason;  ///< why a key was refused, for the 403 message
};

/// Normalises a key like PurePosixPath after turning backslashes into '/': collapses "//" and
/// "." segments; `has_dotdot` reports any ".." segment (never resolved: it is refused).
std::string normalise_key(const std::string& key, bool& has_dotdot, bool& absolute);

/// Verifies one key: no "..", relative, inside `upload_prefix`, not in its root, and the parent
/// folder's Django signature (salt kS3FileSalt) equals one of `signatures` (constant time).
KeyVerdict verify_key(const std::string& key, const std::vector<std::string>& signatures,
                      const std::string& upload_prefix, const std::string& secret);

}  // namespace s3file::server
