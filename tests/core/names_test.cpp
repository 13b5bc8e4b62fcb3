#include <catch2/catch.hpp>

#include <string>

#include "events.hpp"
#include "upload.hpp"

using namespace s3file;

TEST_CASE("state names are what the page reads in detail.state") {
    CHECK(std::string(state_name(UploadState::Queued)) == "queued");
    CHECK(std::string(state_name(UploadState::Signing)) == "signing");
    CHECK(std::string(state_name(UploadState::Uploading)) == "uploading");
    CHECK(std::string(state_name(UploadState::RetryWaiting)) == "retry-waiting");
    CHECK(std::string(state_name(UploadState::Succeeded)) == "succeeded");
    CHECK(std::string(state_name(UploadState::Failed)) == "failed");
    CHECK(std::string(state_name(UploadState::Canceled)) == "canceled");
}

TEST_CASE("event names are the DOM event types the README documents") {
    CHECK(std::string(event_name(EventType::UploadStarted)) == "s3file:start");
    CHECK(std::string(event_name(EventType::UploadProgress)) == "progress");
    CHECK(std::string(event_name(EventType::UploadRetry)) == "s3file:retry");
    CHECK(std::string(event_name(EventType::UploadSucceeded)) == "s3file:success");
    CHECK(std::string(event_name(EventType::UploadFailed)) == "s3file:error");
    CHECK(std::string(event_name(EventType::UploadCanceled)) == "s3file:cancel");
    CHECK(std::string(event_name(EventType::BatchSucceeded)) == "s3file:complete");
    CHECK(std::string(event_name(EventType::BatchFailed)) == "s3file:failed");
}
