// Reading S3's XML answers to POST Object (protocol.md §1): PostResponse on 201, Error otherwise.
// S3 sends flat documents of text elements, so a small strict reader is enough; anything else
// (HTML error pages from proxies, truncated or empty bodies) is reported, never trusted.
#pragma once

#include <string>

namespace s3file {

/// The fields of a 201 <PostResponse>.
struct PostResult {
    std::string key;
    std::string etag;
    std::string location;
    std::string bucket;
};

/// The fields of an <Error> document.
struct S3Error {
    std::string code;
    std::string message;
    std::string max_size_allowed;  ///< EntityTooLarge carries the policy's upper limit
    std::string min_size_allowed;  ///< EntityTooSmall carries its lower limit
};

/// Parses a PostResponse. On failure returns false and says why in `error`.
bool parse_post_response(const std::string& body, PostResult& out, std::string& error);

/// Parses an Error document. On failure returns false and says why in `error`.
bool parse_s3_error(const std::string& body, S3Error& out, std::string& error);

/// Quotes an ETag as S3 does: Ceph RGW's unquoted `<ETag>` gets its quotes; empty stays empty (a
/// store that sends no ETag is not an error); a quoted or weak (`W/"…"`) tag is kept as it is.
void quote_etag(std::string& etag);

/// Text of the first <tag>…</tag> directly inside the root element `root`, entities decoded.
/// Returns false when the document is not a complete `root` element or the tag is missing.
bool xml_child_text(const std::string& xml, const std::string& root, const std::string& tag,
                    std::string& out);

}  // namespace s3file
