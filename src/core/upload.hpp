// The data of one upload: what to send, where, and how far it got.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "body_plan.hpp"
#include "multipart.hpp"
#include "ports.hpp"
#include "progress.hpp"
#include "s3_response.hpp"

namespace s3file {

/// False when the core is built for the POST-only wasm engine (S3FILE_MULTIPART=0): every
/// branch that tests parts_of() then folds away, and with it the multipart handling the queue
/// does itself (pause bookkeeping, part events) — bytes every page would download otherwise.
#ifndef S3FILE_MULTIPART
#define S3FILE_MULTIPART 1
#endif
constexpr bool kMultipartBuild = S3FILE_MULTIPART != 0;

/// One explicit state per upload instead of a bag of flags.
/// Paused: stopped by the user, keeping what is stored (parts); resume() continues.
enum class UploadState { Queued, Signing, Uploading, RetryWaiting, Succeeded, Failed, Canceled, Paused };

/// True for Succeeded, Failed and Canceled.
inline bool is_terminal(UploadState s) {
    return s == UploadState::Succeeded || s == UploadState::Failed || s == UploadState::Canceled;
}

/// Name of a state for events and logs ("queued", "uploading", …).
const char* state_name(UploadState state);

/// A presigned POST: where to send and which fields to echo (boto3's generate_presigned_post).
struct PostPolicy {
    std::string url;
    Fields fields;                  ///< in the order given; the file part follows them
    std::string file_field = "file";
};

/// Why an upload failed, as a code plus parameters: the page words it from its message table
/// (style.md "Messages come from one table keyed by error code"), so no sentence lives here.
struct UploadError {
    std::string code;         ///< S3 Code or an engine code (NetworkError, Stalled, Canceled, …)
    std::string detail;       ///< S3's Message, a parse detail or the policy server's message
    int status = 0;           ///< HTTP status when there was one
    std::uint64_t limit = 0;  ///< the code's number: a size limit in bytes, stall seconds; 0 if none
};

/// What the caller hands in for one file.
struct UploadSpec {
    FileRef file;
    std::string input;       ///< the form field (input name) the file belongs to
    bool has_policy = false;
    PostPolicy policy;       ///< used when has_policy; otherwise asked from the PolicySource
#if S3FILE_MULTIPART  // not in the POST-only engine: one string less to copy per upload
    /// The app server's multipart API (Companion's `/s3/multipart`); empty: one POST only.
    std::string multipart_endpoint;
    /// Files from this size use multipart when an endpoint is given; 0: the queue's option.
    std::uint64_t multipart_threshold = 0;
#endif
};


#if S3FILE_MULTIPART
using MultipartSlot = std::unique_ptr<Multipart>;
#else
/// The POST-only engine's stand-in: an upload never has multipart data, so neither the
/// Multipart type's destructor nor any code behind parts_of() is linked.
struct MultipartSlot {
    Multipart* get() const { return nullptr; }
    Multipart* operator->() const { return nullptr; }
    explicit operator bool() const { return false; }
    void reset() {}
};
#endif

/// One upload as the queue tracks it.
struct Upload {
    /// Built from its spec in one step (a default Upload whose spec is then move-assigned
    /// costs twice the string handling in the wasm).
    Upload(UploadId upload_id, BatchId batch_id, UploadSpec&& upload_spec)
        : id(upload_id), batch(batch_id), spec(std::move(upload_spec)) {}

    UploadId id = 0;
    BatchId batch = 0;
    UploadSpec spec;
    UploadState state = UploadState::Queued;
    bool policy_requested = false;
    bool policy_from_source = false;   ///< the policy came from the PolicySource (renewable)
    bool policy_renewed = false;       ///< an expired policy was already replaced once
    std::uint32_t failures = 0;        ///< since the last reset by real progress
    std::uint32_t attempts = 0;        ///< attempts started, for events
    std::uint64_t loaded = 0;          ///< file bytes of the current attempt
    std::uint64_t best = 0;            ///< most file bytes any attempt reached
    FileProgress counted;              ///< as its batch's and input's sums count it now
    /// The batch's first upload of the same input holds that input's progress (no container
    /// keyed by input names: its code would be a good part of the wasm's growth).
    UploadId input_first = 0;
    ProgressSum input_sum;             ///< this input's progress, when input_first is this upload
    RequestId request = 0;             ///< in-flight request, 0 when none
    TimerId timer = 0;                 ///< retry timer, 0 when none (stalls: UploadQueue::kStallSweep)
    std::uint8_t timer_generation = 0; ///< makes each timer id of this upload unique
    std::uint64_t last_progress_ms = 0;///< clock reading of the last progress (stall check)
    /// Sent while every connection was taken: it waits in the browser's own queue, with no
    /// progress to tell, until its first progress event (UploadQueue::sweep_stalls, its start event).
    bool in_browser_queue = false;
    std::string sent_key;              ///< the key after ${filename} substitution
    PostResult result;                 ///< on success
    UploadError error;                 ///< on failure (also the last error while retrying)
    MultipartSlot multipart;           ///< set once the upload goes through multipart
};


/// The upload's multipart data; nullptr for a single POST (always, without multipart).
inline Multipart* parts_of(const Upload& upload) { return kMultipartBuild ? upload.multipart.get() : nullptr; }


}  // namespace s3file
