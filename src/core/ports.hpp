// The side-effect boundary of the engine. Everything that touches the outside world
// (network, time, randomness, the user's files, the page) sits behind one of these small
// interfaces; the wasm build implements them with emscripten::val, the tests with fakes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "body_plan.hpp"

namespace s3file {

using UploadId = std::uint32_t;
using BatchId = std::uint32_t;
using RequestId = std::uint32_t;
using TimerId = std::uint32_t;
/// A call to the multipart API or the resume store; answers carry it back.
using CallId = std::uint32_t;
/// A chunk read from a file (for hashing).
using ReadId = std::uint32_t;

/// One HTTP request as the engine asks for it; the body is a plan, never the file bytes.
struct HttpRequest {
    /// "POST" or "PUT": always a string literal, so the browser port decodes it once per address.
    std::string_view method;
    std::string url;
    Fields headers;
    BodyPlan body;
};

/// What came back. status 0 means the request never got an HTTP answer (network error).
/// Its headers come from Transport::response_header, read only when needed.
struct HttpResponse {
    int status = 0;
    std::string body;
};

/// Sends one request at a time per id and reports back through UploadQueue::on_*.
class Transport {
public:
    virtual ~Transport() = default;
    /// Start the request; results arrive later via on_progress/on_response.
    virtual void send(RequestId id, const HttpRequest& request) = 0;
    /// Abort an in-flight request; no further callbacks for this id are expected.
    virtual void abort(RequestId id) = 0;
    /// A header ("etag", "location", "retry-after") of the response being delivered to
    /// on_response, asked only during that call; "" when absent or hidden from the page (CORS).
    /// Asked only when needed: a 201's XML carries what most replies need, and handing every
    /// reply's headers over cost the browser a call and three string copies per file.
    virtual std::string response_header(const char* name) = 0;
};

/// One-shot timers and a monotonic clock in milliseconds; fired timers call on_timer.
class Timers {
public:
    virtual ~Timers() = default;
    virtual void start(TimerId id, std::uint64_t delay_ms) = 0;
    virtual void cancel(TimerId id) = 0;
    virtual std::uint64_t now_ms() const = 0;
    /// Wall-clock milliseconds since 1970 (Date.now()), for ages that outlive a page (resume).
#if !defined(S3FILE_MULTIPART) || S3FILE_MULTIPART  // only multipart keeps dated records
    virtual std::uint64_t epoch_ms() const = 0;
#endif
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

/// Streams a slice of a file in bounded chunks for hashing (in the browser: one
/// Blob.slice().stream() per slice, read into a reused chunk buffer; opening a stream per
/// chunk was 3x slower). Answer: UploadQueue::on_read(id, bytes, size) once per chunk, in
/// order, each `chunk` bytes but the last (together exactly `length`), the next one only after
/// the previous on_read returned; or nullptr once on failure, with nothing after it.
class FileReader {
public:
    virtual ~FileReader() = default;
    virtual void read(ReadId id, const FileRef& file, std::uint64_t offset, std::uint64_t length,
                      std::uint32_t chunk) = 0;
    /// Stops a read before its end (the part was paused, canceled or stalled): no on_read after.
    virtual void cancel(ReadId id) = 0;
};

/// Where one multipart upload lives: the app server's API and S3's names for it.
struct MultipartRef {
    std::string endpoint;   ///< the multipart API base, as Companion's `/s3/multipart`
    std::string key;
    std::string upload_id;
};

/// A part as S3 stores it (ListParts) or as CompleteMultipartUpload wants it (size unused).
struct StoredPart {
    std::uint32_t number = 0;  ///< 1-based, as S3 numbers parts
    std::uint64_t size = 0;
    std::string etag;
};

/// A presigned UploadPart URL for one part number.
struct SignedPart {
    std::uint32_t number = 0;
    std::string url;
};

/// The app server's multipart API (Uppy Companion's S3 routes). The platform does the HTTP and
/// the JSON; answers come back keyed by `call` through UploadQueue::on_multipart_* / on_parts_*,
/// failures through UploadQueue::on_multipart_failed(call, status, code, detail).
class MultipartApi {
public:
    virtual ~MultipartApi() = default;
    /// POST {endpoint} {filename, type, metadata} → on_multipart_created(key, uploadId, signature).
    virtual void create(CallId call, const std::string& endpoint, const FileRef& file,
                        const std::string& input) = 0;
    /// GET {endpoint}/{uploadId}/batch?key=&partNumbers= → on_parts_signed(urls, expires).
    virtual void sign_parts(CallId call, const MultipartRef& ref, const std::vector<std::uint32_t>& numbers) = 0;
    /// GET {endpoint}/{uploadId}?key= → on_parts_listed(parts) (every ListParts page).
    virtual void list_parts(CallId call, const MultipartRef& ref) = 0;
    /// POST {endpoint}/{uploadId}/complete?key= {parts} → on_multipart_completed(result).
    virtual void complete(CallId call, const MultipartRef& ref, const std::vector<StoredPart>& parts) = 0;
    /// DELETE {endpoint}/{uploadId}?key=; nobody waits for the answer.
    virtual void abort(const MultipartRef& ref) = 0;
};

/// What is kept to resume a multipart upload after a reload.
struct ResumeEntry {
    std::string upload_id;
    std::string key;
    std::string signature;     ///< the signed folder's signature, for the form submit
    std::uint64_t part_size = 0;
    std::uint64_t created_ms = 0;  ///< epoch ms
};

/// Persists resume entries under a file's fingerprint (localStorage/IndexedDB in the browser).
/// The engine decides what to keep, use and drop; the store only stores.
class ResumeStore {
public:
    virtual ~ResumeStore() = default;
    /// Answer: UploadQueue::on_resume_loaded(call, entry or nullptr).
    virtual void load(CallId call, const std::string& fingerprint) = 0;
    virtual void save(const std::string& fingerprint, const ResumeEntry& entry) = 0;
    virtual void remove(const std::string& fingerprint) = 0;
};

}  // namespace s3file
