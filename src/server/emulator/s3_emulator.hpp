// The storage side: S3's POST Object on its own origin, streamed to disk (protocol.md §1),
// the multipart upload API (multipart_api), GET/HEAD of stored objects, CORS like a bucket
// configured for browser uploads, and faults.
#pragma once

#include <httplib.h>

#include "emulator/faults.hpp"
#include "emulator/multipart_api.hpp"
#include "emulator/object_store.hpp"
#include "emulator/post_verifier.hpp"

namespace s3file::server {

/// S3 caps the form fields before the file at 20 KB.
constexpr std::size_t kMaxPreFileBytes = 20 * 1024;

class S3Emulator {
public:
    S3Emulator(BucketConfig config, ObjectStore& store, MultipartStore& uploads, FaultPlan& faults)
        : config_(std::move(config)), store_(store), faults_(faults), multipart_(config_, uploads, faults) {}
    /// Adds the storage routes to `server` (which listens on the storage port).
    void install(httplib::Server& server);
    const BucketConfig& config() const { return config_; }

private:
    void post_object(const httplib::Request& request, httplib::Response& response,
                     const httplib::ContentReader& reader);
    void get_object(const httplib::Request& request, httplib::Response& response, bool head);

    BucketConfig config_;
    ObjectStore& store_;
    FaultPlan& faults_;
    MultipartApi multipart_;
};

}  // namespace s3file::server
