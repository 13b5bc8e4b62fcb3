// Keys of multipart uploads, checked without server-side state: a key is
// <upload prefix>/<folder token>/<file name> where the folder token is a random nonce followed
// by a MAC of it under the server's secret. Every Companion route can thus tell a folder it
// issued from one a client made up, after a restart too (the widget resumes uploads across
// reloads and crashes, so a record in memory would not do). Whether an upload id belongs to a
// key is the store's own rule (S3 answers NoSuchUpload otherwise), asked before any URL is
// signed. The folder also gets django-s3file's signature, so /submit accepts the key.
#pragma once

#include <string>

namespace s3file::server {

struct IssuedKey {
    std::string folder;     ///< "<prefix>/<nonce>-<mac>"
    std::string key;        ///< "<folder>/<file name>"
    std::string signature;  ///< Django signature of `folder` (for <field>-s3f-signature)
};

/// A fresh signed folder for `filename` (its last path segment, control characters replaced,
/// at most 255 bytes); false with a reason if no usable key results.
bool issue_upload_key(const std::string& prefix, const std::string& secret, const std::string& filename,
                      IssuedKey& out, std::string& error);

/// File systems and S3 tools cope with 255-byte names; S3's own limit is the whole key's 1,024.
constexpr std::size_t kMaxUploadNameBytes = 255;

/// The file name as the last segment of a key: what follows its last '/' or '\', control
/// characters replaced; empty when nothing usable is left.
std::string upload_key_name(const std::string& filename);

/// Empty when `key` is exactly <prefix>/<token>/<name> with a token this secret issued;
/// otherwise why not (for a 403 message).
std::string upload_key_refusal(const std::string& prefix, const std::string& secret, const std::string& key);

}  // namespace s3file::server
