// Names of states and events as the page sees them (DOM event types, state strings).
#include "events.hpp"
#include "upload.hpp"

namespace s3file {

const char* state_name(UploadState state) {
    switch (state) {
    case UploadState::Queued: return "queued";
    case UploadState::Signing: return "signing";
    case UploadState::Uploading: return "uploading";
    case UploadState::RetryWaiting: return "retry-waiting";
    case UploadState::Succeeded: return "succeeded";
    case UploadState::Failed: return "failed";
    case UploadState::Canceled: return "canceled";
    }
    return "unknown";
}

const char* event_name(EventType type) {
    switch (type) {
    case EventType::UploadStarted: return "s3file:start";
    case EventType::UploadProgress: return "progress";
    case EventType::UploadRetry: return "s3file:retry";
    case EventType::UploadSucceeded: return "s3file:success";
    case EventType::UploadFailed: return "s3file:error";
    case EventType::UploadCanceled: return "s3file:cancel";
    case EventType::BatchSucceeded: return "s3file:complete";
    case EventType::BatchFailed: return "s3file:failed";
    }
    return "unknown";
}

}  // namespace s3file
