// S3's multipart upload API on the storage port (API reference: CreateMultipartUpload,
// UploadPart, ListParts, CompleteMultipartUpload, AbortMultipartUpload), strict like S3: every
// request SigV4-signed (a presigned URL or an Authorization header), parts streamed to disk
// with Content-MD5 verified, S3's XML errors. Faults for tests match a part by its number.
#pragma once

#include <httplib.h>

#include "emulator/faults.hpp"
#include "emulator/multipart_store.hpp"
#include "emulator/post_verifier.hpp"

namespace s3file::server {

class MultipartApi {
public:
    MultipartApi(const BucketConfig& config, MultipartStore& store, FaultPlan& faults)
        : config_(config), store_(store), faults_(faults) {}
    /// POST /<bucket>/<key>?uploads
    void create(const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader);
    /// POST /<bucket>/<key>?uploadId=…
    void complete(const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader);
    /// PUT /<bucket>/<key>?partNumber=…&uploadId=…
    void upload_part(const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader);
    /// GET /<bucket>/<key>?uploadId=…[&max-parts=…][&part-number-marker=…]
    void list_parts(const httplib::Request& request, httplib::Response& response);
    /// DELETE /<bucket>/<key>?uploadId=…
    void abort(const httplib::Request& request, httplib::Response& response);

private:
    /// Authenticates, checks the key and finds the upload; answers and returns nullopt if not.
    std::optional<UploadInfo> upload_for(const httplib::Request& request, httplib::Response& response,
                                         std::string& payload_hash);
    /// Streams the part's body into `pending`, applying `fault`; false when it answered.
    bool receive_part(const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader,
                      std::optional<Fault>& fault, PendingObject& pending);

    const BucketConfig& config_;
    MultipartStore& store_;
    FaultPlan& faults_;
};

}  // namespace s3file::server
