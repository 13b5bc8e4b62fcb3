#include "emulator/s3_emulator.hpp"

#include <ctime>

#include "signing/crypto.hpp"
#include "filenames.hpp"
#include "http/guarded_server.hpp"
#include "http/http_util.hpp"

namespace s3file::server {

namespace {

S3Failure request_timeout() {
    return s3_failure(400, "RequestTimeout",
                      "Your socket connection to the server was not read from or written to within "
                      "the timeout period. Idle connections will be closed.");
}

S3Failure fault_failure(const Fault& fault) {
    if (fault.status == 500)
        return s3_failure(500, "InternalError", "We encountered an internal error. Please try again.");
    if (fault.status == 403) return s3_failure(403, "AccessDenied", "Access Denied");
    if (fault.status == 400) return request_timeout();
    return s3_failure(503, "SlowDown", "Please reduce your request rate.");
}

// S3 counts the whole form before the file against its 20 KB limit, part headers included.
// cpp-httplib hands us only each part's name, filename and type, so a part is charged those
// plus the least framing it can have: "--" boundary CRLF, the Content-Disposition line with
// its quotes, the blank line, and the CRLF before the next boundary.
std::size_t part_header_bytes(const httplib::MultipartFormData& part, std::size_t boundary_size) {
    static constexpr std::size_t kFraming = sizeof("--\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n\r\n") - 1;
    return kFraming + boundary_size + part.name.size() + part.filename.size() + part.content_type.size();
}

std::size_t boundary_size(const httplib::Request& request) {
    const std::string type = request.get_header_value("Content-Type");
    const auto at = type.find("boundary=");
    return at == std::string::npos ? 0 : type.size() - at - 9;
}

// Everything one POST Object request accumulates while its body streams in.
struct Upload {
    FormFields fields;
    std::size_t field_bytes = 0;
    bool in_file = false;
    bool after_file = false;  // S3 ignores every part after the file
    bool saw_file = false;
    std::string filename;
    std::string file_type;
    std::string key;
    std::uint64_t file_bytes = 0;
    std::uint64_t body_bytes = 0;
    PolicyDocument policy;
    S3Failure failure;
    std::unique_ptr<PendingObject> pending;
};

}  // namespace

void S3Emulator::install(httplib::Server& server) {
    // Every response carries the CORS headers a bucket configured for browser uploads sends.
    server.set_post_routing_handler([](const httplib::Request& request, httplib::Response& response) {
        response.set_header("Access-Control-Allow-Origin", request.has_header("Origin") ? request.get_header_value("Origin") : "*");
        response.set_header("Access-Control-Expose-Headers", "ETag, Location, Retry-After");
        response.set_header("Vary", "Origin");
    });
    server.Options(".*", [](const httplib::Request& request, httplib::Response& response) {
        // PUT uploads a part, DELETE aborts an upload (both from the browser, presigned).
        response.set_header("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE");
        const std::string headers = request.get_header_value("Access-Control-Request-Headers");
        if (!headers.empty()) response.set_header("Access-Control-Allow-Headers", headers);
        response.set_header("Access-Control-Max-Age", "3000");
        response.status = 200;
    });
    const std::string bucket_path = "/" + config_.bucket + "/?";
    server.Post(bucket_path, [this](const httplib::Request& request, httplib::Response& response,
                                    const httplib::ContentReader& reader) {
        post_object(request, response, reader);
    });
    const std::string object_path = "/" + config_.bucket + "/(.+)";
    server.Get(object_path, [this](const httplib::Request& request, httplib::Response& response) {
        if (request.has_param("uploadId")) return multipart_.list_parts(request, response);
        get_object(request, response, false);
    });
    // Every other method on an object takes a content reader, so no body is ever buffered whole.
    const auto not_implemented = [](httplib::Response& response) {
        send_s3_error(response, s3_failure(501, "NotImplemented",
                                           "A header you provided implies functionality that is not implemented"));
        GuardedServer::close_after_response();
    };
    server.Post(object_path, [this, not_implemented](const httplib::Request& request, httplib::Response& response,
                                                     const httplib::ContentReader& reader) {
        if (request.has_param("uploads")) return multipart_.create(request, response, reader);
        if (request.has_param("uploadId")) return multipart_.complete(request, response, reader);
        not_implemented(response);
    });
    server.Put(object_path, [this, not_implemented](const httplib::Request& request, httplib::Response& response,
                                                    const httplib::ContentReader& reader) {
        if (request.has_param("uploadId")) return multipart_.upload_part(request, response, reader);
        not_implemented(response);  // PutObject: browsers upload with POST or in parts
    });
    server.Delete(object_path, [this, not_implemented](const httplib::Request& request, httplib::Response& response,
                                                       const httplib::ContentReader&) {
        if (request.has_param("uploadId")) return multipart_.abort(request, response);
        not_implemented(response);
    });
}

void S3Emulator::post_object(const httplib::Request& request, httplib::Response& response,
                             const httplib::ContentReader& reader) {
    std::optional<Fault> fault = faults_.take();
    if (!request.is_multipart_form_data()) {
        reader([](const char*, std::size_t) { return true; });  // drain, keep the connection usable
        send_s3_error(response, malformed_post_request());
        return;
    }
    Upload up;
    bool status_fault = fault && fault->kind == Fault::Kind::Status;
    bool was_reset = false;
    const std::size_t boundary = boundary_size(request);
    const S3Failure too_much_before_file = s3_failure(
        400, "MaxPostPreDataLengthExceeded", "Your POST request fields preceeding the upload file was too large.");

    const auto on_part = [&](const httplib::MultipartFormData& part) {
        if (up.in_file) {
            up.in_file = false;
            up.after_file = true;
        }
        if (up.after_file || status_fault) return true;
        if (part.name != "file") {
            // Once refused, nothing more is kept: the rest is drained with constant memory.
            if (up.failure) return true;
            up.field_bytes += part_header_bytes(part, boundary);
            if (up.field_bytes > kMaxPreFileBytes) up.failure = too_much_before_file;
            else up.fields.emplace_back(part.name, "");
            return true;
        }
        // The file part: every field has arrived, so the form is checked before any byte is stored.
        up.in_file = up.saw_file = true;
        up.filename = part.filename;
        up.file_type = part.content_type;
        if (!fault && (fault = faults_.take_for_file(up.filename))) {  // a fault for this file only
            status_fault = fault->kind == Fault::Kind::Status;
            if (status_fault) return true;
        }
        if (!up.failure) up.failure = verify_post_form(config_, up.fields, std::time(nullptr), up.policy);
        if (!up.failure) {
            up.key = substitute_filename(*form_value(up.fields, "key"), up.filename);
            up.failure = check_object_key(up.key);
        }
        if (!up.failure) {
            up.pending = store_.begin();
            if (!up.pending) up.failure = s3_failure(500, "InternalError", "Could not create a temporary file.");
        }
        return true;
    };

    const auto on_data = [&](const char* data, std::size_t size) {
        up.body_bytes += size;
        if (fault && fault->kind == Fault::Kind::Reset && up.body_bytes >= fault->after_bytes) {
            was_reset = reset_connection(request);
            return false;
        }
        if (fault && fault->kind == Fault::Kind::Stall && up.body_bytes >= fault->after_bytes &&
            fault->seconds > 0) {
            faults_.sleep(fault->seconds);  // stop reading, once
            fault->seconds = 0;
        }
        if (up.after_file || status_fault) return true;
        if (!up.in_file) {
            if (up.fields.empty() || up.failure) return true;
            up.field_bytes += size;
            if (up.field_bytes > kMaxPreFileBytes) up.failure = too_much_before_file;
            else up.fields.back().second.append(data, size);
            return true;
        }
        up.file_bytes += size;
        if (up.failure || !up.pending) return true;  // drain: the answer is already decided
        // Too large already: stop storing, keep reading so the browser gets the answer.
        if (up.policy.length_range && up.file_bytes > up.policy.length_range->second) {
            up.pending.reset();
            return true;
        }
        if (!up.pending->write(data, size)) {
            up.failure = s3_failure(500, "InternalError", "Could not write the object.");
            up.pending.reset();
        }
        return true;
    };

    const bool complete = reader(on_part, on_data);
    if (was_reset) return;
    if (!complete && GuardedServer::body_too_slow()) {
        send_s3_error(response, request_timeout());
        return;
    }
    if (!complete) {  // client went away or malformed multipart: nothing is stored
        send_s3_error(response, malformed_post_request());
        return;
    }
    if (fault && fault->kind == Fault::Kind::Delay) faults_.sleep(fault->seconds);
    if (status_fault) {
        if (!fault->retry_after.empty()) response.set_header("Retry-After", fault->retry_after);
        send_s3_error(response, fault_failure(*fault));
        return;
    }
    if (!up.saw_file && !up.failure)
        up.failure = s3_failure(400, "IncorrectNumberOfFilesInPostRequest",
                                "POST requires exactly one file upload per request.");
    if (!up.failure) up.failure = check_length(up.policy, up.file_bytes);
    if (up.failure) {
        send_s3_error(response, up.failure);
        return;
    }
    ObjectInfo info;
    info.key = up.key;
    const std::string* declared_type = form_value(up.fields, "Content-Type");
    info.content_type = declared_type ? *declared_type : (up.file_type.empty() ? "binary/octet-stream" : up.file_type);
    if (S3Failure failure = store_.commit(*up.pending, config_.bucket, info)) {
        send_s3_error(response, failure);
        return;
    }
    const auto stored = store_.stat(config_.bucket, up.key);
    const std::string etag = stored ? stored->etag : "";
    const std::string location = origin_for(request, request.local_port) + "/" + config_.bucket + "/" + url_encode_path(up.key);
    response.set_header("ETag", etag);
    response.set_header("Location", location);
    const std::string* status = form_value(up.fields, "success_action_status");
    if (status && *status == "201") {
        response.status = 201;
        response.set_content(post_response_xml(location, config_.bucket, up.key, etag), "application/xml");
    } else {
        response.status = status && *status == "200" ? 200 : 204;
    }
}

void S3Emulator::get_object(const httplib::Request& request, httplib::Response& response, bool) {
    const std::string key = request.matches[1];
    const auto info = store_.stat(config_.bucket, key);
    if (!info) {
        S3Failure failure = s3_failure(404, "NoSuchKey", "The specified key does not exist.");
        failure.extra = {{"Key", key}};
        send_s3_error(response, failure);
        return;
    }
    response.set_header("ETag", info->etag);
    response.set_header("Last-Modified", info->last_modified);
    response.set_header("x-amz-meta-sha256", info->sha256);
    if (send_file(request, response, store_.object_path(config_.bucket, key).string(), info->size, info->content_type)) return;
    S3Failure failure = s3_failure(416, "InvalidRange", "The requested range is not satisfiable");
    failure.extra = {{"RangeRequested", request.get_header_value("Range")}, {"ActualObjectSize", std::to_string(info->size)}};
    send_s3_error(response, failure);
    unsatisfiable_range(response, info->size);
}

}  // namespace s3file::server
