// The data of one multipart upload (S3's CreateMultipartUpload … CompleteMultipartUpload):
// which parts are stored, with which ETags, and which URL each may be sent to.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "part_plan.hpp"
#include "ports.hpp"

namespace s3file {

enum class PartState : std::uint8_t {
    Missing,       ///< to be sent
    Active,        ///< being hashed or sent (holds a slot of the queue)
    RetryWaiting,  ///< failed, waiting for its retry delay (holds no slot)
    Done,          ///< S3 answered with its ETag
};

struct Part {
    std::string etag;
    std::string url;               ///< presigned UploadPart URL; empty when none
    std::string md5;               ///< Content-MD5 once computed (kept across retries)
    std::uint64_t url_until_ms = 0;///< the URL is not used from this clock reading on
    std::uint64_t best = 0;        ///< most bytes an attempt of this part reached
    std::uint32_t failures = 0;    ///< since the part's last real progress
    PartState state = PartState::Missing;
    bool url_renewed = false;      ///< S3 said "expired" once; the next time is a failure
};

/// The steps of a multipart upload, in order; an upload resumes at its step.
enum class MultipartPhase : std::uint8_t {
    Lookup,    ///< asking the resume store for an upload of the same file
    Create,    ///< CreateMultipartUpload through the app server
    List,      ///< ListParts of a resumed upload
    Parts,     ///< sending the missing parts
    Complete,  ///< CompleteMultipartUpload
};

struct Multipart {
    MultipartRef ref;
    std::string signature;    ///< the signed folder's signature (from create / the resume entry)
    std::string fingerprint;  ///< the resume store's key for this file
    PartPlan plan;
    std::vector<Part> parts;  ///< index i is S3's part number i + 1
    MultipartPhase phase = MultipartPhase::Lookup;
    CallId call = 0;          ///< the outstanding API or store call, 0 when none
    std::uint8_t call_generation = 0;
    std::uint64_t confirmed = 0;    ///< bytes of Done parts
    std::uint32_t done = 0;         ///< Done parts
    std::uint32_t first_missing = 0;///< no Missing part has a lower index
    std::uint64_t created_ms = 0;   ///< epoch ms of create, kept in the resume entry
};

}  // namespace s3file
