// Multipart uploads on disk (S3's CreateMultipartUpload … CompleteMultipartUpload). Each upload
// is a folder <storage>/.multipart/<upload id>/ holding upload.json (bucket, key, type, start)
// and its parts as <n> (bytes) and <n>.json (size, ETag). Parts stream into <storage>/.tmp
// first and are renamed in; Complete assembles the listed parts into a temporary file that
// ObjectStore renames into place, so the object appears whole or not at all. Uploads neither
// completed nor aborted expire: a sweep (at start, then at most once a minute as uploads are
// created) removes them with their parts, as an S3 lifecycle rule would.
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "emulator/object_store.hpp"

namespace s3file::server {

/// S3's multipart limits (Amazon S3 multipart upload limits): part numbers 1..10,000, parts of
/// 5 MiB to 5 GiB (the last may be smaller), objects up to 5 TiB.
constexpr int kMaxPartNumber = 10000;
constexpr std::uint64_t kMinPartBytes = 5ull << 20;
constexpr std::uint64_t kMaxPartBytes = 5ull << 30;
constexpr std::uint64_t kMaxObjectBytes = 5ull << 40;
/// Uploads in progress at once: the emulator is for development and tests; a bound keeps a
/// loop of CreateMultipartUpload from filling the disk with folders.
constexpr std::size_t kMaxOpenUploads = 1000;
/// Default lifetime of an incomplete upload: a day, like a typical S3 lifecycle rule
/// (AbortIncompleteMultipartUpload, DaysAfterInitiation = 1).
constexpr std::int64_t kDefaultMultipartExpirySeconds = 24 * 3600;

struct UploadInfo {
    std::string id;
    std::string bucket;
    std::string key;
    std::string content_type;
    std::time_t initiated = 0;
};

struct PartInfo {
    int number = 0;
    std::uint64_t size = 0;
    std::string etag;  ///< quoted MD5 hex
    std::string last_modified;
};

/// One entry of a CompleteMultipartUpload request.
struct CompletedPart {
    int number = 0;
    std::string etag;
};

class MultipartStore {
public:
    /// Sweeps expired uploads once (start-up).
    MultipartStore(ObjectStore& store, std::int64_t expiry_seconds, std::time_t now);
    /// A new upload of `key` in `bucket`; 503 SlowDown past kMaxOpenUploads.
    S3Failure create(const std::string& bucket, const std::string& key, const std::string& content_type,
                     std::time_t now, UploadInfo& out);
    /// The upload with this id, if it exists, is for `key`, and is not being completed.
    std::optional<UploadInfo> find(const std::string& id, const std::string& key) const;
    /// Starts receiving a part (a temporary file).
    std::unique_ptr<PendingObject> begin_part() { return store_.begin(); }
    /// Moves a received, closed part into its upload (replacing an earlier part of that number).
    S3Failure store_part(const UploadInfo& upload, int number, PendingObject& pending, const ObjectInfo& info);
    /// Parts after `marker`, ascending, at most `max`; `truncated` when more follow.
    std::vector<PartInfo> list_parts(const UploadInfo& upload, int marker, int max, bool& truncated) const;
    /// Checks `parts` (ascending, each stored with that ETag, all but the last ≥ 5 MiB), then
    /// assembles and stores the object and removes the upload. `out` has the object's metadata.
    S3Failure complete(const UploadInfo& upload, const std::vector<CompletedPart>& parts, ObjectInfo& out);
    /// Removes the upload and its parts; NoSuchUpload if unknown.
    S3Failure abort(const UploadInfo& upload);
    /// Removes uploads initiated more than the expiry ago; returns how many.
    std::size_t sweep(std::time_t now);

private:
    std::filesystem::path folder(const std::string& id) const { return root_ / id; }
    std::optional<PartInfo> read_part(const std::string& id, int number) const;
    S3Failure check_parts(const UploadInfo& upload, const std::vector<CompletedPart>& parts,
                          std::vector<PartInfo>& stored) const;
    S3Failure assemble(const UploadInfo& upload, const std::vector<PartInfo>& parts, ObjectInfo& out);

    ObjectStore& store_;
    std::filesystem::path root_;
    std::int64_t expiry_seconds_;
    std::time_t last_sweep_ = 0;
    mutable std::mutex mutex_;       // folder changes and reads of part metadata
    std::set<std::string> completing_;  // uploads whose Complete is assembling: no new parts
};

/// True for an upload id this store could have made (32 lower-case hex digits), so no other
/// text ever names a path.
bool is_upload_id(const std::string& id);

/// S3's multipart ETag: "<hex MD5 of the concatenated binary part MD5s>-<part count>".
std::string multipart_etag(const std::vector<PartInfo>& parts);

}  // namespace s3file::server
