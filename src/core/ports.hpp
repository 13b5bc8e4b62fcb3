// The side-effect boundary of the engine. Everything that touches the outside world
// (network, time, randomness, the user's files, the page) sits behind one of these small
// interfaces; the wasm build implements them with emscripten::val, the tests with fakes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "body_plan.hpp"

namespace s3file {

using UploadId = std::uint32_t;
using BatchId = std::uint32_t;
using RequestId = std::uint32_t;
using TimerId = std::uint32_t;

/// Ordered header or form field list; order matters on the wire (S3 needs `file` last).
using Fields = std::vector<std::pair<std::string, std::string>>;

/// One HTTP request as the engine asks for it; the body is a plan, never the file bytes.
struct HttpRequest {
    std::string method;
    std::string url;
    Fields headers;
    BodyPlan body;
};

/// What came back. status 0 means the request never got an HTTP answer (network error).
struct HttpResponse {
    int status = 0;
    std::string body;
    std::string etag;         ///< the ETag header, if the server exposed it (CORS)
    std::string location;     ///< the Location header, if exposed
    std::string retry_after;  ///< the Retry-After header, if any
};

/// Sends one request at a time per id and reports back through UploadQueue::on_*.
class Transport {
public:
    virtual ~Transport() = default;
    /// Start the request; results arrive later via on_progress/on_response.
    virtual void send(RequestId id, const HttpRequest& request) = 0;
    /// Abort an in-flight request; no further callbacks for this id are expected.
    virtual void abort(RequestId id) = 0;
};

/// One-shot timers and a monotonic clock in milliseconds; fired timers call on_timer.
class Timers {
public:
    virtual ~Timers() = default;
    virtual void start(TimerId id, std::uint64_t delay_ms) = 0;
    virtual void cancel(TimerId id) = 0;
    virtual std::uint64_t now_ms() const = 0;
};

/// A uniform random source (crypto.getRandomValues in the browser).
class Random {
public:
    virtual ~Random() = default;
    virtual std::uint32_t next_u32() = 0;
};

/// Asked for presigned POST policies when uploads were queued without one.
class PolicySource {
public:
    virtual ~PolicySource() = default;
    /// Fetch policies for these uploads (one round trip for a batch); answer through
    /// UploadQueue::provide_policy / fail_policy.
    virtual void request_policies(BatchId batch, const std::vector<UploadId>& uploads) = 0;
};

}  // namespace s3file
