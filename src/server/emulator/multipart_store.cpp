#include "emulator/multipart_store.hpp"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "http/json_input.hpp"
#include "signing/crypto.hpp"
#include "signing/post_policy.hpp"

namespace s3file::server {

namespace fs = std::filesystem;

namespace {

constexpr std::time_t kSweepIntervalSeconds = 60;
constexpr std::size_t kCopyChunk = 256 * 1024;

S3Failure no_such_upload() {
    return s3_failure(404, "NoSuchUpload",
                      "The specified multipart upload does not exist. The upload ID might be invalid, or the "
                      "multipart upload might have been aborted or completed.");
}

S3Failure invalid_part() {
    return s3_failure(400, "InvalidPart",
                      "One or more of the specified parts could not be found. The part might not have been "
                      "uploaded, or the specified entity tag might not have matched the part's entity tag.");
}

// Small metadata files: written beside their target and renamed over it, so a reader sees the
// old or the new content, never half.
bool write_atomically(const fs::path& target, const std::string& text) {
    const fs::path temp = target.string() + ".new";
    {
        std::ofstream out(temp, std::ios::binary);
        out << text;
        if (!out.flush()) return false;
    }
    std::error_code error;
    fs::rename(temp, target, error);
    return !error;
}

std::optional<nlohmann::json> read_json(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    nlohmann::json json;
    std::string error;
    if (!parse_json_bounded(text, json, error) || !json.is_object()) return std::nullopt;
    return json;
}

std::optional<UploadInfo> read_upload(const fs::path& folder, const std::string& id) {
    const auto json = read_json(folder / "upload.json");
    if (!json) return std::nullopt;
    return UploadInfo{id, json->value("bucket", ""), json->value("key", ""), json->value("content_type", ""),
                      static_cast<std::time_t>(json->value("initiated", std::int64_t{0}))};
}

std::string unquote(const std::string& etag) {
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') return etag.substr(1, etag.size() - 2);
    return etag;
}

std::string from_hex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

}  // namespace

bool is_upload_id(const std::string& id) {
    return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string multipart_etag(const std::vector<PartInfo>& parts) {
    std::string digests;
    for (const PartInfo& part : parts) digests += from_hex(unquote(part.etag));
    StreamDigest md5(StreamDigest::Kind::Md5);
    md5.update(digests.data(), digests.size());
    return "\"" + to_hex(md5.finish()) + "-" + std::to_string(parts.size()) + "\"";
}

MultipartStore::MultipartStore(ObjectStore& store, std::int64_t expiry_seconds, std::time_t now)
    : store_(store), root_(store.root() / ".multipart"), expiry_seconds_(expiry_seconds) {
    fs::create_directories(root_);
    sweep(now);
}

S3Failure MultipartStore::create(const std::string& bucket, const std::string& key, const std::string& content_type,
                                 std::time_t now, UploadInfo& out) {
    if (S3Failure failure = check_object_key(key)) return failure;
    if (now >= last_sweep_ + kSweepIntervalSeconds) sweep(now);
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t open = 0;
    for (auto it = fs::directory_iterator(root_); it != fs::directory_iterator() && open <= kMaxOpenUploads; ++it) ++open;
    if (open >= kMaxOpenUploads)
        return s3_failure(503, "SlowDown", "Too many multipart uploads in progress (at most 1,000): complete or abort some.");
    out = UploadInfo{random_token(16), bucket, key, content_type, now};
    std::error_code error;
    fs::create_directory(folder(out.id), error);
    const std::string meta = dump_json(nlohmann::json{
        {"bucket", bucket}, {"key", key}, {"content_type", content_type}, {"initiated", static_cast<std::int64_t>(now)}});
    if (error || !write_atomically(folder(out.id) / "upload.json", meta)) {
        fs::remove_all(folder(out.id), error);
        return s3_failure(500, "InternalError", "Could not create the upload.");
    }
    return {};
}

std::optional<UploadInfo> MultipartStore::find(const std::string& id, const std::string& key) const {
    if (!is_upload_id(id)) return std::nullopt;
    std::lock_guard<std::mutex> lock(mutex_);
    if (completing_.count(id)) return std::nullopt;
    auto upload = read_upload(folder(id), id);
    if (!upload || upload->key != key) return std::nullopt;
    return upload;
}

S3Failure MultipartStore::store_part(const UploadInfo& upload, int number, PendingObject& pending, const ObjectInfo& info) {
    const std::string name = std::to_string(number);
    const std::string meta = dump_json(nlohmann::json{
        {"size", info.size}, {"etag", info.etag}, {"last_modified", format_iso8601(std::time(nullptr))}});
    std::lock_guard<std::mutex> lock(mutex_);
    // Aborted, completed or expired while the part streamed in: the part has nowhere to go.
    if (completing_.count(upload.id) || !fs::is_regular_file(folder(upload.id) / "upload.json")) return no_such_upload();
    std::error_code error;
    fs::rename(pending.temp_path(), folder(upload.id) / name, error);
    if (error) return s3_failure(500, "InternalError", "Could not store the part.");
    pending.release();
    if (!write_atomically(folder(upload.id) / (name + ".json"), meta)) {
        fs::remove(folder(upload.id) / name, error);
        return s3_failure(500, "InternalError", "Could not store the part's metadata.");
    }
    return {};
}

std::optional<PartInfo> MultipartStore::read_part(const std::string& id, int number) const {
    const auto json = read_json(folder(id) / (std::to_string(number) + ".json"));
    if (!json) return std::nullopt;
    return PartInfo{number, json->value("size", std::uint64_t{0}), json->value("etag", ""), json->value("last_modified", "")};
}

std::vector<PartInfo> MultipartStore::list_parts(const UploadInfo& upload, int marker, int max, bool& truncated) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<int> numbers;
    std::error_code error;
    for (auto it = fs::directory_iterator(folder(upload.id), error); !error && it != fs::directory_iterator(); ++it) {
        const std::string name = it->path().filename().string();
        if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0 && name != "upload.json") {
            const int number = std::atoi(name.c_str());
            if (number > marker && number <= kMaxPartNumber) numbers.push_back(number);
        }
    }
    std::sort(numbers.begin(), numbers.end());
    truncated = numbers.size() > static_cast<std::size_t>(max);
    if (truncated) numbers.resize(static_cast<std::size_t>(max));
    std::vector<PartInfo> parts;
    for (int number : numbers)
        if (auto part = read_part(upload.id, number)) parts.push_back(*part);
    return parts;
}

S3Failure MultipartStore::check_parts(const UploadInfo& upload, const std::vector<CompletedPart>& parts,
                                      std::vector<PartInfo>& stored) const {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0 && parts[i].number <= parts[i - 1].number)
            return s3_failure(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
        const auto part = read_part(upload.id, parts[i].number);
        if (!part || unquote(part->etag) != unquote(parts[i].etag)) return invalid_part();
        stored.push_back(*part);
        total += part->size;
    }
    for (std::size_t i = 0; i + 1 < stored.size(); ++i)
        if (stored[i].size < kMinPartBytes) {
            S3Failure failure = s3_failure(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size");
            failure.extra = {{"ProposedSize", std::to_string(stored[i].size)}, {"MinSizeAllowed", std::to_string(kMinPartBytes)},
                             {"PartNumber", std::to_string(stored[i].number)}, {"ETag", unquote(stored[i].etag)}};
            return failure;
        }
    if (total > kMaxObjectBytes) return s3_failure(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
    return {};
}

S3Failure MultipartStore::complete(const UploadInfo& upload, const std::vector<CompletedPart>& parts, ObjectInfo& out) {
    std::vector<PartInfo> stored;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (completing_.count(upload.id) || !fs::is_regular_file(folder(upload.id) / "upload.json")) return no_such_upload();
        if (S3Failure failure = check_parts(upload, parts, stored)) return failure;
        completing_.insert(upload.id);  // from here no part changes under the assembly
    }
    const S3Failure failure = assemble(upload, stored, out);
    std::lock_guard<std::mutex> lock(mutex_);
    completing_.erase(upload.id);
    if (!failure) {
        std::error_code ignored;
        fs::remove_all(folder(upload.id), ignored);
    }
    return failure;
}

S3Failure MultipartStore::assemble(const UploadInfo& upload, const std::vector<PartInfo>& parts, ObjectInfo& out) {
    std::unique_ptr<PendingObject> pending = store_.begin(false);  // the ETag comes from the parts
    if (!pending) return s3_failure(500, "InternalError", "Could not create a temporary file.");
    std::vector<char> buffer(kCopyChunk);
    for (const PartInfo& part : parts) {
        std::ifstream in(folder(upload.id) / std::to_string(part.number), std::ios::binary);
        std::uint64_t copied = 0;
        while (in && copied < part.size) {
            in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            const auto got = static_cast<std::size_t>(in.gcount());
            if (got == 0 || !pending->write(buffer.data(), got)) break;
            copied += got;
        }
        if (copied != part.size) return s3_failure(500, "InternalError", "Could not read a part.");
    }
    out.key = upload.key;
    out.content_type = upload.content_type.empty() ? "binary/octet-stream" : upload.content_type;
    if (S3Failure failure = store_.commit(*pending, upload.bucket, out, multipart_etag(parts))) return failure;
    const auto stored = store_.stat(upload.bucket, upload.key);
    if (stored) out = *stored;
    return {};
}

S3Failure MultipartStore::abort(const UploadInfo& upload) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (completing_.count(upload.id)) return no_such_upload();
    std::error_code error;
    if (fs::remove_all(folder(upload.id), error) == 0 || error) return no_such_upload();
    return {};
}

std::size_t MultipartStore::sweep(std::time_t now) {
    std::lock_guard<std::mutex> lock(mutex_);
    last_sweep_ = now;
    std::vector<fs::path> expired;
    std::error_code error;
    for (auto it = fs::directory_iterator(root_, error); !error && it != fs::directory_iterator(); ++it) {
        const std::string id = it->path().filename().string();
        if (completing_.count(id)) continue;
        const auto upload = read_upload(it->path(), id);
        // A folder without readable metadata is a create cut short (or not ours): removed too.
        if (!is_upload_id(id) || !upload || upload->initiated + expiry_seconds_ <= now) expired.push_back(it->path());
    }
    for (const fs::path& path : expired) fs::remove_all(path, error);
    return expired.size();
}

}  // namespace s3file::server
