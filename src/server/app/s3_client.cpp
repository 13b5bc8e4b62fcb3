#include "app/s3_client.hpp"

#include <httplib.h>

#include "http/xml_reader.hpp"
#include "signing/crypto.hpp"
#include "signing/sigv4_request.hpp"

namespace s3file::server {

namespace {

// The store's own code and message when it sent S3's error XML; else a generic one.
S3Failure failure_of(int status, const std::string& body) {
    S3Failure failure = s3_failure(status, xml_text_of(body, "Code"), xml_text_of(body, "Message"));
    if (failure.code.empty()) failure.code = "StoreError";
    if (failure.message.empty()) failure.message = "The store answered HTTP " + std::to_string(status) + ".";
    return failure;
}

std::string path_of(const std::string& bucket, const std::string& key) { return "/" + bucket + "/" + key; }

}  // namespace

std::string host_of_url(const std::string& url) {
    std::size_t from = url.find("://");
    from = from == std::string::npos ? 0 : from + 3;
    const std::size_t end = url.find('/', from);
    return url.substr(from, end == std::string::npos ? std::string::npos : end - from);
}

S3Client::S3Client(std::string endpoint, std::string bucket, std::string region, Credentials credentials)
    : endpoint_(std::move(endpoint)), bucket_(std::move(bucket)), region_(std::move(region)),
      credentials_(std::move(credentials)) {
    while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
}

S3Failure S3Client::send(const std::string& method, const std::string& key,
                         const NameValues& query, const std::string& body, Reply& reply,
                         const NameValues& headers) const {
    const std::string host = host_of_url(endpoint_);
    const std::string path = path_of(bucket_, key);
    SignableRequest signable{method, path, query, {{"host", host}}, to_hex(sha256(body))};
    httplib::Request request;
    request.method = method;
    request.path = sigv4_uri_encode(path, true) + (query.empty() ? "" : "?" + canonical_query(query));
    request.headers.emplace("Host", host);
    for (const auto& [name, value] : headers) {
        signable.headers.emplace_back(name, value);
        request.headers.emplace(name, value);
    }
    for (const auto& [name, value] : sign_request_headers(credentials_, region_, signable, std::time(nullptr)))
        request.headers.emplace(name, value);
    if (method != "GET" && method != "HEAD") {
        request.body = body;
        request.headers.emplace("Content-Length", std::to_string(body.size()));
    }
    bool too_long = false;
    request.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
        if (reply.body.size() + size > kMaxStoreReplyBytes) return !(too_long = true);
        reply.body.append(data, size);
        return true;
    };
    httplib::Client client(endpoint_);
    client.set_url_encode(false);  // the path and query are encoded as signed
    client.set_connection_timeout(10);
    client.set_read_timeout(60);  // Complete assembles the object before it answers
    const httplib::Result result = client.send(request);
    if (!result || too_long)
        return s3_failure(502, "StoreUnreachable", too_long ? "The store's reply was too long." : "The store could not be reached.");
    reply.status = result->status;
    reply.etag = result->get_header_value("ETag");
    return reply.status / 100 == 2 ? S3Failure{} : failure_of(reply.status, reply.body);
}

S3Failure S3Client::create_upload(const std::string& key, const std::string& content_type, std::string& upload_id) const {
    Reply reply;
    // The object's type is given at creation; signed like the rest of the request.
    if (S3Failure failure = send("POST", key, {{"uploads", ""}}, "", reply, {{"Content-Type", content_type}})) return failure;
    upload_id = xml_text_of(reply.body, "UploadId");
    return upload_id.empty() ? s3_failure(502, "StoreError", "The store answered no UploadId.") : S3Failure{};
}

S3Failure S3Client::list_parts(const std::string& key, const std::string& upload_id, int marker, int max_parts,
                               StorePartsPage& page) const {
    Reply reply;
    if (S3Failure failure = send("GET", key, {{"uploadId", upload_id}, {"max-parts", std::to_string(max_parts)},
                                              {"part-number-marker", std::to_string(marker)}}, "", reply))
        return failure;
    page = StorePartsPage{};
    const std::string& xml = reply.body;
    for (std::size_t at = 0; (at = xml.find("<Part>", at)) != std::string::npos;) {
        const std::size_t end = xml.find("</Part>", at);
        if (end == std::string::npos) break;
        std::string number, size, etag;
        xml_element_text(xml, at, end, "PartNumber", number);
        xml_element_text(xml, at, end, "Size", size);
        xml_element_text(xml, at, end, "ETag", etag);
        page.parts.push_back({std::atoi(number.c_str()), std::strtoull(size.c_str(), nullptr, 10), etag});
        at = end;
    }
    page.truncated = xml_text_of(xml, "IsTruncated") == "true";
    page.next_marker = std::atoi(xml_text_of(xml, "NextPartNumberMarker").c_str());
    // A truncated page must move forward, or following the pages would never end.
    if (page.truncated && page.next_marker <= marker) return s3_failure(502, "StoreError", "The store's ListParts did not advance.");
    return {};
}

S3Failure S3Client::complete(const std::string& key, const std::string& upload_id, const std::vector<StorePart>& parts,
                             StoreCompleted& out) const {
    std::string xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
    for (const StorePart& part : parts)
        xml += "<Part><ETag>" + xml_escape(part.etag) + "</ETag><PartNumber>" + std::to_string(part.number) + "</PartNumber></Part>";
    xml += "</CompleteMultipartUpload>";
    Reply reply;
    if (S3Failure failure = send("POST", key, {{"uploadId", upload_id}}, xml, reply)) return failure;
    // S3 may answer 200 and put an error in the body when assembling fails late.
    if (reply.body.find("<Error>") != std::string::npos) return failure_of(500, reply.body);
    out = {xml_text_of(reply.body, "Location"), xml_text_of(reply.body, "Bucket"), xml_text_of(reply.body, "Key"),
           xml_text_of(reply.body, "ETag")};
    return {};
}

S3Failure S3Client::abort(const std::string& key, const std::string& upload_id) const {
    Reply reply;
    return send("DELETE", key, {{"uploadId", upload_id}}, "", reply);
}

S3Failure S3Client::head_etag(const std::string& key, std::string& etag) const {
    Reply reply;
    if (S3Failure failure = send("HEAD", key, {}, "", reply)) return failure;
    etag = reply.etag;
    return {};
}

std::string S3Client::presign_part(const std::string& public_endpoint, const std::string& key,
                                   const std::string& upload_id, int part_number, std::time_t now,
                                   std::int64_t expires) const {
    const std::string path = path_of(bucket_, key);
    std::string base = public_endpoint;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + sigv4_uri_encode(path, true) + "?" +
           presign_query(credentials_, region_, "PUT", host_of_url(base), path,
                         {{"partNumber", std::to_string(part_number)}, {"uploadId", upload_id}}, now, expires);
}

}  // namespace s3file::server
