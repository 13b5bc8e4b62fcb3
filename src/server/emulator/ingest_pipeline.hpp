// Takes digesting and disk writes off the connection's thread: the multipart parser fills
// chunks, a worker hashes them (MD5 for the ETag, SHA-256) and writes them. Bounded: at most
// kMaxChunks chunks wait, so memory stays ~2 MiB whatever the upload's size.
#pragma once

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "signing/crypto.hpp"

namespace s3file::server {

class IngestPipeline {
public:
    /// Without `with_md5` the MD5 comes back empty: a completed multipart object's ETag is made
    /// from its parts' MD5s, so hashing the assembled bytes again would be wasted.
    explicit IngestPipeline(std::FILE* file, bool with_md5 = true);
    /// Stops the worker; chunks not yet written are dropped (an aborted upload).
    ~IngestPipeline();
    IngestPipeline(const IngestPipeline&) = delete;
    IngestPipeline& operator=(const IngestPipeline&) = delete;

    /// Queues bytes; blocks while the worker is kMaxChunks behind. False once a write failed.
    bool write(const char* data, std::size_t size);
    /// Flushes, waits for the worker and returns raw MD5 and SHA-256; false if a write failed.
    bool finish(std::string& md5, std::string& sha256);

private:
    static constexpr std::size_t kChunkBytes = 256 * 1024;
    static constexpr std::size_t kMaxChunks = 8;

    void push_current();
    void run();

    std::FILE* file_;
    const bool with_md5_;
    std::string current_;
    std::deque<std::string> chunks_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool closing_ = false;
    bool failed_ = false;
    StreamDigest md5_{StreamDigest::Kind::Md5};
    StreamDigest sha256_{StreamDigest::Kind::Sha256};
    std::thread worker_;
};

}  // namespace s3file::server
