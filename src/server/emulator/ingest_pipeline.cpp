#include "emulator/ingest_pipeline.hpp"

#include <algorithm>

namespace s3file::server {

IngestPipeline::IngestPipeline(std::FILE* file, bool with_md5)
    : file_(file), with_md5_(with_md5), worker_([this] { run(); }) {
    current_.reserve(kChunkBytes);
}

IngestPipeline::~IngestPipeline() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closing_ = true;
        chunks_.clear();
    }
    changed_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void IngestPipeline::push_current() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return chunks_.size() < kMaxChunks || failed_; });
    chunks_.push_back(std::move(current_));
    current_.clear();
    current_.reserve(kChunkBytes);
    changed_.notify_all();
}

bool IngestPipeline::write(const char* data, std::size_t size) {
    while (size > 0) {
        const std::size_t take = std::min(size, kChunkBytes - current_.size());
        current_.append(data, take);
        data += take;
        size -= take;
        if (current_.size() == kChunkBytes) push_current();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    return !failed_;
}

bool IngestPipeline::finish(std::string& md5, std::string& sha256) {
    if (!current_.empty()) push_current();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closing_ = true;
    }
    changed_.notify_all();
    worker_.join();
    md5 = with_md5_ ? md5_.finish() : std::string();
    sha256 = sha256_.finish();
    return !failed_;
}

void IngestPipeline::run() {
    for (;;) {
        std::string chunk;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            changed_.wait(lock, [this] { return !chunks_.empty() || closing_; });
            if (chunks_.empty()) return;  // closing and drained
            chunk = std::move(chunks_.front());
            chunks_.pop_front();
        }
        changed_.notify_all();  // room for the parser
        if (with_md5_) md5_.update(chunk.data(), chunk.size());
        sha256_.update(chunk.data(), chunk.size());
        if (std::fwrite(chunk.data(), 1, chunk.size(), file_) != chunk.size()) {
            std::lock_guard<std::mutex> lock(mutex_);
            failed_ = true;
            chunks_.clear();
            changed_.notify_all();
            return;
        }
    }
}

}  // namespace s3file::server
