#include "emulator/object_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "signing/crypto.hpp"
#include "http/json_input.hpp"
#include "signing/post_policy.hpp"

namespace s3file::server {

namespace fs = std::filesystem;

S3Failure check_object_key(const std::string& key) {
    if (key.size() > kMaxKeyBytes)
        return s3_failure(400, "KeyTooLongError", "Your key is too long");
    if (key.empty()) return s3_failure(400, "InvalidArgument", "The object key must not be empty.");
    if (!is_valid_utf8(key)) return s3_failure(400, "InvalidArgument", "The object key is not valid UTF-8.");
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
        if (at == std::string::npos) break;
        from = at + 1;
    }
    return {};
}

PendingObject::PendingObject(fs::path temp_path, std::FILE* file, bool with_md5)
    : temp_path_(std::move(temp_path)), file_(file), pipeline_(std::make_unique<IngestPipeline>(file, with_md5)) {}

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
    lock_fd_ = ::open((root_ / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd_ < 0) throw std::runtime_error(std::string("cannot open its lock file: ") + std::strerror(errno));
    if (flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(lock_fd_);
        throw std::runtime_error("another s3file-server is using this storage folder");
    }
    // Nothing else writes here while we hold the lock: whatever is in .tmp was left by a
    // server that died mid-upload.
    for (const auto& entry : fs::directory_iterator(root_ / ".tmp")) fs::remove_all(entry.path());
}

ObjectStore::~ObjectStore() {
    if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
}

std::unique_ptr<PendingObject> ObjectStore::begin(bool with_md5) {
    const fs::path path = root_ / ".tmp" / ("upload-" + random_token(12));
    std::FILE* file = std::fopen(path.c_str(), "wbx");
    if (file == nullptr) return nullptr;
    return std::make_unique<PendingObject>(path, file, with_md5);
}

fs::path ObjectStore::object_path(const std::string& bucket, const std::string& key) const {
    if (check_object_key(key) || check_object_key(bucket) || bucket.find('/') != std::string::npos) return {};
    const std::string hash = to_hex(sha256(key));
    return root_ / bucket / hash.substr(0, 2) / hash;  // two levels, like git's object folders
}

namespace {
// An object's metadata lies beside its bytes.
fs::path meta_path_of(fs::path object) { return object.concat(".json"); }
}  // namespace

S3Failure ObjectStore::commit(PendingObject& pending, const std::string& bucket, ObjectInfo info,
                              const std::string& etag) {
    if (S3Failure failure = check_object_key(info.key)) return failure;
    const fs::path target = object_path(bucket, info.key);
    if (target.empty()) return s3_failure(400, "InvalidArgument", "The object key is not allowed.");
    if (!pending.close(info)) return s3_failure(500, "InternalError", "Could not write the object.");
    if (!etag.empty()) info.etag = etag;
    info.last_modified = format_iso8601(std::time(nullptr));
    // Serialised before any file is touched; a Content-Type that is not UTF-8 is kept with
    // U+FFFD in place of its bad bytes rather than refused.
    const std::string metadata = dump_json(nlohmann::json{
        {"key", info.key}, {"size", info.size}, {"etag", info.etag}, {"sha256", info.sha256},
        {"content_type", info.content_type}, {"last_modified", info.last_modified}});
    const fs::path meta_temp = pending.temp_path().string() + ".json";
    const auto fail = [&](const std::string& what, const std::error_code& cause) {
        std::error_code ignored;
        fs::remove(meta_temp, ignored);
        return s3_failure(500, "InternalError", what + (cause ? ": " + cause.message() : std::string()));
    };
    {
        std::ofstream out(meta_temp, std::ios::binary);
        out << metadata;
        out.close();
        if (!out) return fail("Could not write the object's metadata", std::make_error_code(std::errc::io_error));
    }
    std::error_code error;
    fs::create_directories(target.parent_path(), error);
    if (error) return fail("Could not create the object's folder", error);
    std::lock_guard<std::mutex> lock(commit_mutex_);
    // Bytes first: metadata makes an object visible, so it must never point at bytes that
    // are not there (or are another upload's).
    fs::rename(pending.temp_path(), target, error);
    if (error) return fail("Could not store the object", error);
    pending.release();
    fs::rename(meta_temp, meta_path_of(target), error);
    if (error) {
        const S3Failure failure = fail("Could not store the object's metadata", error);
        fs::remove(target, error);
        return failure;
    }
    return {};
}

std::optional<ObjectInfo> ObjectStore::stat(const std::string& bucket, const std::string& key) const {
    const fs::path object = object_path(bucket, key);
    if (object.empty()) return std::nullopt;
    std::string text;
    {
        std::lock_guard<std::mutex> lock(commit_mutex_);
        if (!fs::is_regular_file(object)) return std::nullopt;
        std::ifstream in(meta_path_of(object), std::ios::binary);
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    nlohmann::json json;
    std::string error;
    if (!parse_json_bounded(text, json, error) || !json.is_object() || json.value("key", "") != key) return std::nullopt;
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
