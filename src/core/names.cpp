// Names of states and events as the page sees them (DOM event types, state strings).
#include "events.hpp"
#include "upload.hpp"

namespace s3file {

const char* state_name(UploadState state) {
    static const char* const names[] = {"queued",        "signing",   "uploading", "retry-waiting",
                                        "succeeded",     "failed",    "canceled", "paused"};
    return names[static_cast<int>(state)];
}

const char* event_name(EventType type) {
    static const char* const names[] = {"s3file:start", "progress",        "s3file:retry",
                                        "s3file:success", "s3file:error",  "s3file:cancel",
                                        "s3file:complete", "s3file:failed",  "s3file:part",
                                        "s3file:pause",  "s3file:resume"};
    return names[static_cast<int>(type)];
}

}  // namespace s3file
