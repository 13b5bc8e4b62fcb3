// S3's error vocabulary (protocol.md §1): code, HTTP status, message, and extra elements.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace s3file::server {

struct S3Failure {
    int status = 0;  ///< 0 means no failure
    std::string code;
    std::string message;
    std::vector<std::pair<std::string, std::string>> extra;  ///< e.g. MaxSizeAllowed

    explicit operator bool() const { return status != 0; }
};

inline S3Failure s3_failure(int status, std::string code, std::string message) {
    return S3Failure{status, std::move(code), std::move(message), {}};
}

/// S3's answer to a body that is not well-formed multipart/form-data.
inline S3Failure malformed_post_request() {
    return s3_failure(400, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.");
}

/// Escapes text for an XML element (markup only: the bytes are the caller's, e.g. a key that
/// passed check_object_key).
std::string xml_escape(const std::string& text);

/// Escapes bytes a request may have sent (an echoed key or credential may hold NUL, control
/// characters or invalid UTF-8) so the result is always well-formed XML: what XML 1.0 cannot
/// carry at all (§2.2), not even as a character reference, becomes U+FFFD.
std::string xml_escape_untrusted(const std::string& text);

/// <Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId></Error>
std::string s3_error_xml(const S3Failure& failure, const std::string& request_id);

/// <PostResponse><Location/><Bucket/><Key/><ETag/></PostResponse>
std::string post_response_xml(const std::string& location, const std::string& bucket,
                              const std::string& key, const std::string& etag);

}  // namespace s3file::server
