// multipart/form-data body plans: the bytes around the file, never the file itself.
// Encoding follows the HTML standard's multipart/form-data algorithm (protocol.md §2).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace s3file {

class Random;

/// Reference to the user's file: a handle the platform resolves (a JS File), plus metadata.
struct FileRef {
    std::uint32_t handle = 0;
    std::uint64_t size = 0;  ///< 64-bit: files beyond 4 GiB are ordinary
    std::string name;        ///< UTF-8
    std::string type;        ///< MIME type as the browser reports it; may be empty
    std::uint64_t last_modified = 0;  ///< File.lastModified (epoch ms), for resume fingerprints
};

/// head + file bytes + tail, with the exact length computed without reading the file.
/// The file bytes are the slice [offset, offset + file.size) of the file (a multipart part).
struct BodyPlan {
    std::string head;
    FileRef file;
    bool has_file = false;
    std::uint64_t offset = 0;
    std::string tail;
    std::string content_type;  ///< the request's Content-Type header value

    std::uint64_t content_length() const {
        return head.size() + (has_file ? file.size : 0) + tail.size();
    }
};

/// Escapes `"`, CR and LF as %22, %0D, %0A, as browsers do in names and filenames.
std::string escape_disposition_value(const std::string& value);

/// Random boundary: a fixed prefix plus 32 alphanumerics from the random port (190 bits).
std::string make_boundary(Random& random);

/// Builds the plan for `fields` followed by the file part (always last, protocol.md §1).
/// The boundary is drawn again in the unlikely case that it occurs in a field.
BodyPlan build_body_plan(const std::vector<std::pair<std::string, std::string>>& fields,
                         const std::string& file_field, const FileRef& file, Random& random);

/// Same with a given boundary; deterministic, for tests and for build_body_plan.
BodyPlan build_body_plan_with_boundary(
    const std::vector<std::pair<std::string, std::string>>& fields,
    const std::string& file_field, const FileRef& file, const std::string& boundary);

}  // namespace s3file
