// The app's one client of the store for multipart uploads: CreateMultipartUpload, ListParts,
// CompleteMultipartUpload, AbortMultipartUpload as SigV4 header-signed requests (cpp-httplib's
// client, OpenSSL for https), and presigned UploadPart URLs for the browser. Pointed at the
// built-in emulator, or at the real store given by --s3-endpoint. Replies are read bounded
// and parsed minimally (http/xml_reader); a store's error comes back as its S3 code.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "http/s3_error.hpp"
#include "signing/credentials.hpp"
#include "signing/sigv4_request.hpp"

namespace s3file::server {

/// A ListParts page is ≤ 1,000 parts of ~250 bytes of XML: 4 MiB is far above any real reply.
constexpr std::size_t kMaxStoreReplyBytes = 4 * 1024 * 1024;

struct StorePart {
    int number = 0;
    std::uint64_t size = 0;
    std::string etag;
};

struct StorePartsPage {
    std::vector<StorePart> parts;
    bool truncated = false;
    int next_marker = 0;
};

struct StoreCompleted {
    std::string location;
    std::string bucket;
    std::string key;
    std::string etag;  ///< may be empty: Ceph RGW 16 answers Complete with an empty <ETag>
};

class S3Client {
public:
    /// `endpoint`: "http(s)://host[:port]" (no path) the server connects to.
    S3Client(std::string endpoint, std::string bucket, std::string region, Credentials credentials);

    S3Failure create_upload(const std::string& key, const std::string& content_type, std::string& upload_id) const;
    S3Failure list_parts(const std::string& key, const std::string& upload_id, int marker, int max_parts,
                         StorePartsPage& page) const;
    S3Failure complete(const std::string& key, const std::string& upload_id, const std::vector<StorePart>& parts,
                       StoreCompleted& out) const;
    S3Failure abort(const std::string& key, const std::string& upload_id) const;
    /// HeadObject: the stored object's ETag header (for a Complete that answered none).
    S3Failure head_etag(const std::string& key, std::string& etag) const;

    /// A presigned UploadPart URL on `public_endpoint` ("http://host:port"), valid `expires` s.
    std::string presign_part(const std::string& public_endpoint, const std::string& key, const std::string& upload_id,
                             int part_number, std::time_t now, std::int64_t expires) const;

    const std::string& bucket() const { return bucket_; }

private:
    struct Reply {
        int status = 0;
        std::string body;
        std::string etag;  ///< the ETag header, if any
    };
    /// One signed request; a transport failure is 502 "StoreUnreachable".
    S3Failure send(const std::string& method, const std::string& key, const NameValues& query,
                   const std::string& body, Reply& reply, const NameValues& headers = {}) const;

    std::string endpoint_;
    std::string bucket_;
    std::string region_;
    Credentials credentials_;
};

/// "host[:port]" of "http(s)://host[:port][/…]" (the Host header a client sends there).
std::string host_of_url(const std::string& url);

}  // namespace s3file::server
