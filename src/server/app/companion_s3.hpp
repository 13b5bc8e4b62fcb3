// Uppy Companion's S3 routes on the app port (packages/@uppy/companion/src/server/controllers/
// s3.js: same paths, query parameters and JSON shapes), so @uppy/aws-s3 works against this
// server and the widget against a Companion deployment:
//   GET    /s3/params?filename=&type=                    {method: "POST", url, fields, expires}
//   POST   /s3/multipart {filename, type, metadata}      {key, uploadId, bucket, signature}
//   GET    /s3/multipart/:uploadId?key=                  [{PartNumber, Size, ETag}]
//   GET    /s3/multipart/:uploadId/batch?key=&partNumbers=1,2   {presignedUrls: {"1": url}}
//   GET    /s3/multipart/:uploadId/:partNumber?key=      {url, expires}
//   POST   /s3/multipart/:uploadId/complete?key= {parts}  {location, key, bucket, etag}
//   DELETE /s3/multipart/:uploadId?key=                  {}
// Beyond Companion: keys live in signed folders (app/upload_keys) and every route refuses any
// other key (403); `signature` is the folder's django-s3file signature for /submit; --max-size
// and --accept apply (at creation from metadata.size and type, at completion from the parts).
#pragma once

#include <functional>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "app/policy_issuer.hpp"
#include "app/s3_client.hpp"

namespace s3file::server {

struct CompanionConfig {
    IssuerConfig issuer;             ///< prefix, secret, accept, expiry, credentials
    std::uint64_t multipart_max_size = 0;  ///< largest assembled object
    /// The store's URL as the browser reaches it (presigned URLs), from the request.
    std::function<std::string(const httplib::Request&)> public_store;
};

class CompanionS3 {
public:
    CompanionS3(CompanionConfig config, S3Client client) : config_(std::move(config)), client_(std::move(client)) {}
    void install(httplib::Server& server);

private:
    void params(const httplib::Request& request, httplib::Response& response);
    void create(const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader);
    void list(const httplib::Request& request, httplib::Response& response);
    void sign(const httplib::Request& request, httplib::Response& response, bool batch);
    void complete(const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader);
    void abort(const httplib::Request& request, httplib::Response& response);

    /// The route's key (query) and upload id (path), checked; false when it answered.
    bool upload_of(const httplib::Request& request, httplib::Response& response, std::string& key, std::string& id);
    /// Every part stored so far, all ListParts pages followed; false when it answered.
    bool all_parts(const std::string& key, const std::string& id, httplib::Response& response,
                   std::vector<StorePart>& parts);

    CompanionConfig config_;
    S3Client client_;
};

}  // namespace s3file::server
