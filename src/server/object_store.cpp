#include "object_store.hpp"

#include <ctime>
#include <fstream>

#include <nlohmann/json.hpp>

#include "post_policy.hpp"

namespace s3file::server {

namespace fs = std::filesystem;

S3Failure check_object_key(const std::string& key) {
    if (key.size() > kMaxKeyBytes)
        return s3_failure(400, "KeyTooLongError", "Your key is too long");
    if (key.empty()) return s3_failure(400, "InvalidArgument", "The object key must not be empty.");
    for (unsigned char c : key) {
        if (c < 0x20 || c == 0x7F)
            return s3_failure(400, "InvalidArgument", "The object key contains a control character.");
        if (c == '\\')
            return s3_failure(400, "InvalidArgument", "The object key contains a backslash.");
    }
    if (key.front() == '/' || key.back() == '/')
        return s3_failure(400, "InvalidArgument", "The object key must not start or end with '/'.");
    std::size_t from = 0;
    for (;;) {
        const std::size_t at = key.find('/', from);
        const std::string segment = key.substr(from, at - from);
        if (segment.empty() || segment == "." || segment == "..")
            return s3_failure(400, "InvalidArgument", "The object key has an empty, '.' or '..' segment.");
        // A file name longer than the filesystem allows (255 bytes on Linux) cannot be stored.
        if (segment.size() + 5 > 255)
            return s3_failure(400, "KeyTooLongError", "A segment of your key is too long");
        if (at == std::string::npos) break;
        from = at + 1;
    }
    return {};
}

PendingObject::PendingObject(fs::path temp_path, std::FILE* file)
    : temp_path_(std::move(temp_path)), file_(file), pipeline_(std::make_unique<IngestPipeline>(file)) {}

PendingObject::~PendingObject() {
    pipeline_.reset();  // stop the worker before its file goes away
    if (file_ != nullptr) std::fclose(file_);
    if (!temp_path_.empty()) {
        std::error_code ignored;
        fs::remove(temp_path_, ignored);
    }
}

bool PendingObject::write(const char* data, std::size_t size) {
    if (file_ == nullptr) return false;
    size_ += size;
    return pipeline_->write(data, size);
}

bool PendingObject::close(ObjectInfo& info) {
    if (file_ == nullptr) return false;
    std::string md5, sha256;
    bool ok = pipeline_->finish(md5, sha256);
    pipeline_.reset();
    ok = std::fflush(file_) == 0 && ok;
    ok = std::fclose(file_) == 0 && ok;
    file_ = nullptr;
    info.size = size_;
    info.etag = "\"" + to_hex(md5) + "\"";
    info.sha256 = to_hex(sha256);
    return ok;
}

ObjectStore::ObjectStore(fs::path root) : root_(fs::absolute(std::move(root)).lexically_normal()) {
    fs::create_directories(root_ / ".tmp");
    fs::create_directories(root_ / ".meta");
}

std::unique_ptr<PendingObject> ObjectStore::begin() {
    const fs::path path = root_ / ".tmp" / ("upload-" + random_token(12));
    std::FILE* file = std::fopen(path.c_str(), "wbx");
    if (file == nullptr) return nullptr;
    return std::make_unique<PendingObject>(path, file);
}

fs::path ObjectStore::object_path(const std::string& bucket, const std::string& key) const {
    if (check_object_key(key) || check_object_key(bucket)) return {};
    const fs::path path = (root_ / bucket / key).lexically_normal();
    // Defence in depth: the checked key cannot leave the bucket folder, and we verify it.
    const fs::path base = (root_ / bucket).lexically_normal();
    const auto mismatch = std::mismatch(base.begin(), base.end(), path.begin(), path.end());
    if (mismatch.first != base.end()) return {};
    return path;
}

fs::path ObjectStore::meta_path(const std::string& bucket, const std::string& key) const {
    if (object_path(bucket, key).empty()) return {};
    return root_ / ".meta" / bucket / (key + ".json");
}

S3Failure ObjectStore::commit(PendingObject& pending, const std::string& bucket, ObjectInfo info) {
    if (S3Failure failure = check_object_key(info.key)) return failure;
    const fs::path target = object_path(bucket, info.key);
    const fs::path meta = meta_path(bucket, info.key);
    if (target.empty()) return s3_failure(400, "InvalidArgument", "The object key is not allowed.");
    if (!pending.close(info)) return s3_failure(500, "InternalError", "Could not write the object.");
    std::error_code error;
    fs::create_directories(target.parent_path(), error);
    fs::create_directories(meta.parent_path(), error);
    if (fs::is_directory(target))
        return s3_failure(409, "InvalidArgument", "A key with this name is a prefix of other objects here.");
    info.last_modified = format_iso8601(std::time(nullptr));
    const nlohmann::json json = {{"key", info.key},       {"size", info.size},
                                 {"etag", info.etag},     {"sha256", info.sha256},
                                 {"content_type", info.content_type}, {"last_modified", info.last_modified}};
    const fs::path meta_temp = pending.temp_path().string() + ".json";
    {
        std::ofstream out(meta_temp);
        out << json.dump();
        if (!out) return s3_failure(500, "InternalError", "Could not write the object's metadata.");
    }
    fs::rename(meta_temp, meta, error);
    if (!error) fs::rename(pending.temp_path(), target, error);
    if (error) {
        fs::remove(meta_temp, error);
        return s3_failure(500, "InternalError", "Could not store the object: " + error.message());
    }
    pending.release();
    return {};
}

std::optional<ObjectInfo> ObjectStore::stat(const std::string& bucket, const std::string& key) const {
    const fs::path meta = meta_path(bucket, key);
    if (meta.empty() || !fs::is_regular_file(object_path(bucket, key))) return std::nullopt;
    std::ifstream in(meta);
    const nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return std::nullopt;
    ObjectInfo info;
    info.key = json.value("key", "");
    info.size = json.value("size", std::uint64_t{0});
    info.etag = json.value("etag", "");
    info.sha256 = json.value("sha256", "");
    info.content_type = json.value("content_type", "");
    info.last_modified = json.value("last_modified", "");
    return info;
}

}  // namespace s3file::server
