// Objects on disk under one storage folder. An object's bytes live at
// <storage>/<bucket>/<h[0:2]>/<h> and its metadata (key, size, ETag, SHA-256, type) beside them
// in <h>.json, where h is the SHA-256 of the key in hex. Hashing the key into the path means
// no key can name a path outside the folder or collide with another key's folders: S3 holds
// "a" and "a/b" side by side, and so does this store, whatever the filesystem's limits on
// name length. Writes go to <storage>/.tmp and are renamed into place, so an aborted or
// rejected upload leaves nothing behind; start-up sweeps what a killed server left there.
// One server owns a storage folder (an exclusive lock on <storage>/.lock).
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "emulator/ingest_pipeline.hpp"
#include "http/s3_error.hpp"

namespace s3file::server {

/// S3 limits keys to 1024 bytes of UTF-8.
constexpr std::size_t kMaxKeyBytes = 1024;

/// Rejects keys S3 refuses (empty, over 1024 bytes, not UTF-8) and, stricter than S3, keys
/// django-s3file's middleware would refuse anyway: NUL or control characters, backslashes, a
/// leading '/', empty, "." or ".." segments, a trailing '/'. The error is S3-style
/// (KeyTooLongError or InvalidArgument).
S3Failure check_object_key(const std::string& key);

/// What is stored with each object.
struct ObjectInfo {
    std::string key;
    std::uint64_t size = 0;
    std::string etag;  ///< quoted MD5 hex, as S3 sends it
    std::string sha256;
    std::string content_type;
    std::string last_modified;
};

/// A file being received: bytes go to a temporary file while MD5 and SHA-256 run along, on a
/// worker thread. Destroying it without commit removes the temporary file.
class PendingObject {
public:
    PendingObject(std::filesystem::path temp_path, std::FILE* file, bool with_md5 = true);
    ~PendingObject();
    PendingObject(const PendingObject&) = delete;
    PendingObject& operator=(const PendingObject&) = delete;
    bool write(const char* data, std::size_t size);
    std::uint64_t size() const { return size_; }
    /// Finishes the digests and closes the file; fills size, etag and sha256.
    bool close(ObjectInfo& info);
    const std::filesystem::path& temp_path() const { return temp_path_; }
    void release() { temp_path_.clear(); }

private:
    std::filesystem::path temp_path_;
    std::FILE* file_;
    std::uint64_t size_ = 0;
    std::unique_ptr<IngestPipeline> pipeline_;  // destroyed (joined) before file_ is closed
};

class ObjectStore {
public:
    /// Creates the folder if needed, takes its lock and sweeps stale temporary files. Throws
    /// std::runtime_error if the folder cannot be used or another process holds it.
    explicit ObjectStore(std::filesystem::path root);
    ~ObjectStore();
    ObjectStore(const ObjectStore&) = delete;
    ObjectStore& operator=(const ObjectStore&) = delete;
    const std::filesystem::path& root() const { return root_; }
    /// Starts a new object; nullptr if the temporary file cannot be created. Without `with_md5`
    /// its ETag is left to the commit (a multipart object's, from its parts).
    std::unique_ptr<PendingObject> begin(bool with_md5 = true);
    /// Moves a finished object into place under `bucket`/`info.key`: the bytes first, then
    /// the metadata that makes them visible (each an atomic rename). `etag`, if given, replaces
    /// the MD5 ETag (a multipart object's).
    S3Failure commit(PendingObject& pending, const std::string& bucket, ObjectInfo info,
                     const std::string& etag = "");
    /// Metadata of a stored object.
    std::optional<ObjectInfo> stat(const std::string& bucket, const std::string& key) const;
    /// Path of a stored object's bytes; empty if the key or bucket is refused.
    std::filesystem::path object_path(const std::string& bucket, const std::string& key) const;

private:
    std::filesystem::path root_;
    int lock_fd_ = -1;
    mutable std::mutex commit_mutex_;  // a commit's two renames are seen together, never interleaved
};

}  // namespace s3file::server
