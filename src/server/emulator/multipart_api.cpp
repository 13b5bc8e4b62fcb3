#include "emulator/multipart_api.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>

#include "emulator/multipart_xml.hpp"
#include "emulator/request_auth.hpp"
#include "http/guarded_server.hpp"
#include "http/http_util.hpp"
#include "signing/crypto.hpp"

namespace s3file::server {

namespace {

// CreateMultipartUpload, ListParts and AbortMultipartUpload carry no body worth the name.
constexpr std::size_t kMaxSmallBody = 64 * 1024;

S3Failure no_such_upload() {
    return s3_failure(404, "NoSuchUpload",
                      "The specified multipart upload does not exist. The upload ID might be invalid, or the "
                      "multipart upload might have been aborted or completed.");
}

// Answers before the body was read: the connection cannot carry another request.
void refuse_early(httplib::Response& response, const S3Failure& failure) {
    send_s3_error(response, failure);
    GuardedServer::close_after_response();
}

// Reads a body of at most `limit` bytes; false (connection closed after the answer) past it.
bool read_small_body(const httplib::ContentReader& reader, std::size_t limit, std::string& body) {
    if (read_bounded(reader, limit, body)) return true;
    GuardedServer::close_after_response();  // the rest of the body is never read
    return false;
}

std::string body_sha256(const std::string& body) { return to_hex(sha256(body)); }

S3Failure fault_failure(const Fault& fault) {
    if (fault.status == 500) return s3_failure(500, "InternalError", "We encountered an internal error. Please try again.");
    if (fault.status == 403) return s3_failure(403, "AccessDenied", "Access Denied");
    if (fault.status == 400)
        return s3_failure(400, "RequestTimeout", "Your socket connection to the server was not read from or written to within the timeout period.");
    return s3_failure(503, "SlowDown", "Please reduce your request rate.");
}

// "1".."10000", nothing else.
int part_number_of(const std::string& text) {
    if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos) return 0;
    const int number = std::stoi(text);
    return number >= 1 && number <= kMaxPartNumber ? number : 0;
}

// Content-MD5: base64 of the 16-byte digest (RFC 1864); empty `out` when absent.
bool read_content_md5(const httplib::Request& request, std::string& out) {
    if (!request.has_header("Content-MD5")) return true;
    return base64_decode(request.get_header_value("Content-MD5"), out) && out.size() == 16;
}

}  // namespace

std::optional<UploadInfo> MultipartApi::upload_for(const httplib::Request& request, httplib::Response& response,
                                                   std::string& payload_hash) {
    const AuthResult auth = authenticate_request(config_, request, std::time(nullptr));
    if (auth.failure) {
        refuse_early(response, auth.failure);
        return std::nullopt;
    }
    payload_hash = auth.payload_hash;
    const std::string key = request.matches[1];
    if (S3Failure failure = check_object_key(key)) {
        refuse_early(response, failure);
        return std::nullopt;
    }
    auto upload = store_.find(request.get_param_value("uploadId"), key);
    if (!upload) refuse_early(response, no_such_upload());
    return upload;
}

void MultipartApi::create(const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader) {
    const AuthResult auth = authenticate_request(config_, request, std::time(nullptr));
    if (auth.failure) return refuse_early(response, auth.failure);
    std::string body;
    if (!read_small_body(reader, kMaxSmallBody, body)) return send_s3_error(response, s3_failure(400, "InvalidRequest", "CreateMultipartUpload takes no body."));
    if (S3Failure failure = check_payload_hash(auth.payload_hash, body_sha256(body))) return send_s3_error(response, failure);
    UploadInfo upload;
    const std::string key = request.matches[1];
    if (S3Failure failure = store_.create(config_.bucket, key, request.get_header_value("Content-Type"), std::time(nullptr), upload))
        return send_s3_error(response, failure);
    response.set_content(initiate_result_xml(config_.bucket, key, upload.id), "application/xml");
}

void MultipartApi::complete(const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader) {
    std::string payload_hash, body;
    const auto upload = upload_for(request, response, payload_hash);
    if (!upload) return;
    if (!read_small_body(reader, kMaxCompleteXmlBytes, body))
        return send_s3_error(response, s3_failure(400, "MalformedXML", "The XML you provided was too large or incomplete."));
    if (S3Failure failure = check_payload_hash(payload_hash, body_sha256(body))) return send_s3_error(response, failure);
    std::vector<CompletedPart> parts;
    if (S3Failure failure = parse_complete_request(body, parts)) return send_s3_error(response, failure);
    ObjectInfo object;
    if (S3Failure failure = store_.complete(*upload, parts, object)) return send_s3_error(response, failure);
    const std::string location =
        origin_for(request, request.local_port) + "/" + config_.bucket + "/" + url_encode_path(upload->key);
    response.set_content(complete_result_xml(location, config_.bucket, upload->key, object.etag), "application/xml");
}

bool MultipartApi::receive_part(const httplib::Request& request, httplib::Response& response,
                                const httplib::ContentReader& reader, std::optional<Fault>& fault, PendingObject& pending) {
    const bool status_fault = fault && fault->kind == Fault::Kind::Status;
    std::uint64_t received = 0;
    bool was_reset = false, write_failed = false;
    const bool complete = reader([&](const char* data, std::size_t size) {
        received += size;
        if (fault && fault->kind == Fault::Kind::Reset && received >= fault->after_bytes) {
            was_reset = reset_connection(request);
            return false;
        }
        if (fault && fault->kind == Fault::Kind::Stall && received >= fault->after_bytes && fault->seconds > 0) {
            faults_.sleep(fault->seconds);  // stop reading, once
            fault->seconds = 0;
        }
        if (!status_fault && !write_failed) write_failed = !pending.write(data, size);
        return true;
    });
    if (was_reset) return false;
    if (!complete) {
        GuardedServer::close_after_response();
        send_s3_error(response, GuardedServer::body_too_slow()
                                    ? s3_failure(400, "RequestTimeout", "Your socket connection to the server was not read from or written to within the timeout period.")
                                    : s3_failure(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header."));
        return false;
    }
    if (fault && fault->kind == Fault::Kind::Delay) faults_.sleep(fault->seconds);
    if (status_fault) {
        if (!fault->retry_after.empty()) response.set_header("Retry-After", fault->retry_after);
        send_s3_error(response, fault_failure(*fault));
        return false;
    }
    if (write_failed) send_s3_error(response, s3_failure(500, "InternalError", "Could not write the part."));
    return !write_failed;
}

void MultipartApi::upload_part(const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader) {
    const int number = part_number_of(request.get_param_value("partNumber"));
    if (number == 0)
        return refuse_early(response, s3_failure(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive"));
    std::string payload_hash, content_md5;
    const auto upload = upload_for(request, response, payload_hash);
    if (!upload) return;
    // Counted and matched once the PUT is authenticated: a stray request takes no test's fault.
    std::optional<Fault> fault = faults_.take_for_part(number);
    if (!request.has_header("Content-Length"))
        return refuse_early(response, s3_failure(411, "MissingContentLength", "You must provide the Content-Length HTTP header."));
    if (std::strtoull(request.get_header_value("Content-Length").c_str(), nullptr, 10) > kMaxPartBytes)
        return refuse_early(response, s3_failure(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"));
    if (!read_content_md5(request, content_md5))
        return refuse_early(response, s3_failure(400, "InvalidDigest", "The Content-MD5 you specified was invalid."));
    std::unique_ptr<PendingObject> pending = store_.begin_part();
    if (!pending) return refuse_early(response, s3_failure(500, "InternalError", "Could not create a temporary file."));
    if (!receive_part(request, response, reader, fault, *pending)) return;
    ObjectInfo part;
    if (!pending->close(part)) return send_s3_error(response, s3_failure(500, "InternalError", "Could not write the part."));
    if (!content_md5.empty() && "\"" + to_hex(content_md5) + "\"" != part.etag)
        return send_s3_error(response, s3_failure(400, "BadDigest", "The Content-MD5 you specified did not match what we received."));
    if (S3Failure failure = check_payload_hash(payload_hash, part.sha256)) return send_s3_error(response, failure);
    if (S3Failure failure = store_.store_part(*upload, number, *pending, part)) return send_s3_error(response, failure);
    response.set_header("ETag", part.etag);
    response.status = 200;
}

void MultipartApi::list_parts(const httplib::Request& request, httplib::Response& response) {
    std::string payload_hash;
    const auto upload = upload_for(request, response, payload_hash);
    if (!upload) return;
    if (S3Failure failure = check_payload_hash(payload_hash, body_sha256(""))) return send_s3_error(response, failure);
    PartsPage page;
    const auto number_param = [&](const char* name, int low, int high, int fallback, int& out) {
        if (!request.has_param(name)) return (out = fallback), true;
        const std::string text = request.get_param_value(name);
        if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) return false;
        out = std::min(std::max(std::stoi(text), low), high);  // S3 caps max-parts at 1,000
        return true;
    };
    if (!number_param("max-parts", 0, 1000, 1000, page.max_parts) ||
        !number_param("part-number-marker", 0, kMaxPartNumber, 0, page.marker))
        return send_s3_error(response, s3_failure(400, "InvalidArgument", "max-parts and part-number-marker must be non-negative integers."));
    page.parts = store_.list_parts(*upload, page.marker, page.max_parts, page.truncated);
    response.set_content(list_parts_xml(*upload, page), "application/xml");
}

void MultipartApi::abort(const httplib::Request& request, httplib::Response& response) {
    std::string payload_hash;
    const auto upload = upload_for(request, response, payload_hash);
    if (!upload) return;
    if (S3Failure failure = store_.abort(*upload)) return send_s3_error(response, failure);
    response.status = 204;
}

}  // namespace s3file::server
