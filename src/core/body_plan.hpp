// Request body plans: what a request's body is made of, never the file's bytes.
// A POST Object is form fields followed by the file part; the browser encodes it as
// multipart/form-data itself (a FormData: its own boundary, escaping and Content-Length, by the
// HTML standard's algorithm, protocol.md §2), which costs the page half of what assembling the
// same bytes from strings and the File as a Blob did. A multipart part is a slice of the file alone.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace s3file {

/// Ordered header or form field list; order matters on the wire (S3 needs `file` last).
using Fields = std::vector<std::pair<std::string, std::string>>;

/// Reference to the user's file: a handle the platform resolves (a JS File), plus metadata.
struct FileRef {
    std::uint32_t handle = 0;
    std::uint64_t size = 0;  ///< 64-bit: files beyond 4 GiB are ordinary
    std::string name;        ///< UTF-8
    std::string type;        ///< MIME type as the browser reports it; may be empty
    std::uint64_t last_modified = 0;  ///< File.lastModified (epoch ms), for resume fingerprints
};

/// The body: `fields` then the file part named `file_field` (a form), or, when `file_field` is
/// empty, the bytes [offset, offset + file.size) of the file alone (a multipart part).
struct BodyPlan {
    Fields fields;           ///< form fields before the file, in order
    std::string file_field;  ///< the file part's field name; empty: not a form
    FileRef file;            ///< file.name is the filename sent (the widget may number it)
    std::uint64_t offset = 0;

    bool is_form() const { return !file_field.empty(); }
};

}  // namespace s3file
