// What the engine tells the page. The wasm layer turns each Event into a DOM CustomEvent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "progress.hpp"
#include "upload.hpp"

namespace s3file {

enum class EventType {
    UploadStarted,    ///< an attempt began (attempt ≥ 1)
    UploadProgress,   ///< bytes moved; carries file, input and batch aggregates
    UploadRetry,      ///< an attempt failed and another follows after retry_delay_ms
    UploadSucceeded,  ///< stored; result holds key, ETag, Location
    UploadFailed,     ///< final failure; error says why
    UploadCanceled,
    BatchSucceeded,   ///< every upload of the batch succeeded
    BatchFailed,      ///< every upload ended and some did not succeed; errors lists them
    PartSucceeded,    ///< a multipart part is stored; part, part_size and part_etag say which
    UploadPaused,     ///< pause(): in-flight requests aborted, stored parts kept
    UploadResumed,    ///< resume(): the upload is queued again
};

/// Name of an event type ("progress", "retry", …).
const char* event_name(EventType type);

/// An event refers to the upload instead of copying it: the pointers are valid only during
/// EventSink::emit (copying strings into every progress tick costs time and wasm size).
struct Event {
    EventType type = EventType::UploadProgress;
    BatchId batch = 0;
    const Upload* upload = nullptr;  ///< null for batch events
    FileProgress file;               ///< this file's counters (current attempt)
    Aggregate input_progress;        ///< all files of the same input in the batch
    Aggregate batch_progress;        ///< all files of the batch; never decreases
    double bytes_per_second = 0;     ///< batch speed (EMA)
    double eta_seconds = -1;         ///< batch ETA; negative when unknown
    std::uint64_t retry_delay_ms = 0;
    std::uint32_t part = 0;          ///< PartSucceeded, and UploadRetry of one part: its number
    std::uint64_t part_size = 0;     ///< PartSucceeded
    const std::string* part_etag = nullptr;  ///< PartSucceeded
    std::vector<const Upload*> failed;  ///< BatchFailed: the uploads that did not succeed
};

/// Receives events synchronously from queue calls; must not call back into the queue.
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void emit(const Event& event) = 0;
};

}  // namespace s3file
