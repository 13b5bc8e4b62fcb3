// Small helpers shared by the server's HTTP handlers.
#pragma once

#include <string>
#include <vector>

#include <httplib.h>

#include "http/s3_error.hpp"

namespace s3file::server {

/// Percent-encodes a key for a URL path (keeps '/' and unreserved characters): SigV4's URI
/// encoding, so a URL the server builds is the one it signs.
std::string url_encode_path(const std::string& text);

/// The pieces of `text` between `separator`s (an empty text is one empty piece).
std::vector<std::string> split(const std::string& text, char separator);

/// `text` with A-Z lower-cased and every other byte as it is (HTTP names and tokens; no locale).
std::string ascii_lower(std::string text);

/// Reads a request body into `body` while it stays within `limit` bytes; false past it (the
/// rest is left unread) or when the client stops sending.
bool read_bounded(const httplib::ContentReader& reader, std::size_t limit, std::string& body);

/// "http://<host-from-Host-header>:<port>", so links work whether the page used
/// 127.0.0.1 or localhost.
std::string origin_for(const httplib::Request& request, int port);

/// Resets the request's TCP connection (RST) so the client sees a network error, as a
/// failing network would. Linux: finds the socket by its address pair. Test faults only.
bool reset_connection(const httplib::Request& request);

/// Answers `failure` in S3's XML error shape, with a fresh request id.
void send_s3_error(httplib::Response& response, const S3Failure& failure);

/// Streams a file as the response body (never loads it whole): all of it, or the one range
/// `request`'s Range header asks for (206, byte_range.hpp). Returns false, with nothing sent, for a range that
/// starts past the end: the caller answers 416 in its port's shape (see unsatisfiable_range).
bool send_file(const httplib::Request& request, httplib::Response& response, const std::string& path,
               std::uint64_t size, const std::string& content_type);

/// A 416's Content-Range for a `size`-byte file ("bytes */size", RFC 9110 §14.4).
void unsatisfiable_range(httplib::Response& response, std::uint64_t size);

}  // namespace s3file::server
