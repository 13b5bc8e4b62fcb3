// The C API the page calls (through browser_ports.js and web/). One engine per page: the
// concurrency limit is per storage host, so every form and element shares one queue.
// Strings passed in are malloc'ed by the JS side and owned (freed) here.
#include <emscripten/emscripten.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "browser_ports.hpp"
#include "imports.hpp"

using namespace s3file;
using namespace s3file::web;

namespace {

struct Page {
    XhrTransport transport;
    BrowserTimers timers;
    CryptoRandom random;
    DomEventSink events;
    CallbackPolicySource policies;
    BlobReader reader;
    CallbackMultipartApi multipart;
    CallbackResumeStore resume;
    std::optional<UploadQueue> queue;
    std::vector<SignedPart> signed_urls;  ///< collected before s3f_mp_signed
    std::vector<StoredPart> listed;       ///< collected before s3f_mp_listed
    std::vector<UploadSpec> pending_batch;  ///< specs collected before s3f_batch_commit
    PostPolicy pending_policy;             ///< policy collected before s3f_policy_commit
    QueueOptions options;
};

// A plain global, built by the module's constructors: a function-local static would add a
// guard test to every call (every export starts with page() or queue()).
Page the_page;

Page& page() { return the_page; }

std::string take(char* text) {
    std::string out = text ? text : "";
    std::free(text);
    return out;
}

UploadQueue& queue() {
    Page& p = page();
    if (!p.queue) {
        p.queue.emplace(p.transport, p.timers, p.random, p.events, &p.policies, p.options);
        p.policies.attach(&*p.queue);
        p.queue->enable_multipart(p.multipart, p.reader, &p.resume);
    }
    return *p.queue;
}

}  // namespace

extern "C" {

/// Options apply until the first upload creates the queue; 0 leaves an option as it is.
EMSCRIPTEN_KEEPALIVE void s3f_configure(std::uint32_t concurrency, std::uint32_t progress_interval_ms,
                                        std::uint32_t stall_timeout_ms) {
    QueueOptions& o = page().options;
    if (concurrency) o.concurrency = concurrency;
    if (progress_interval_ms) o.progress_interval_ms = progress_interval_ms;
    if (stall_timeout_ms) o.retry.stall_timeout_ms = stall_timeout_ms;
}

EMSCRIPTEN_KEEPALIVE void s3f_retry_delays_clear() { page().options.retry.delays_ms.clear(); }
EMSCRIPTEN_KEEPALIVE void s3f_retry_delay(std::uint32_t ms) { page().options.retry.delays_ms.push_back(ms); }

/// Adds a file to the batch being built; `file` is the page's handle for the File object.
EMSCRIPTEN_KEEPALIVE void s3f_batch_file(std::uint32_t file, double size, char* name, char* type, char* input) {
    UploadSpec spec;
    spec.file.handle = file;
    spec.file.size = static_cast<std::uint64_t>(size);
    spec.file.name = take(name);
    spec.file.type = take(type);
    spec.input = take(input);
    page().pending_batch.push_back(std::move(spec));
}

/// Collects a policy field; used by s3f_batch_policy and s3f_policy_commit.
EMSCRIPTEN_KEEPALIVE void s3f_policy_field(char* name, char* value) {
    page().pending_policy.fields.emplace_back(take(name), take(value));
}

/// Gives the last file of the batch being built the collected policy.
EMSCRIPTEN_KEEPALIVE void s3f_batch_policy(char* url, char* file_field) {
    Page& p = page();
    PostPolicy& policy = p.pending_policy;
    policy.url = take(url);
    policy.file_field = take(file_field);
    if (!p.pending_batch.empty()) {
        p.pending_batch.back().policy = std::move(policy);
        p.pending_batch.back().has_policy = true;
    }
    policy = PostPolicy{};
}

/// Queues the batch built so far (its id is s3f_next_batch's); returns the id of its first
/// upload (the others follow in file order), or 0 for an empty batch.
EMSCRIPTEN_KEEPALIVE std::uint32_t s3f_batch_commit() {
    std::vector<UploadSpec> specs;
    specs.swap(page().pending_batch);
    const auto ids = queue().uploads_of(queue().enqueue(std::move(specs)));
    return ids.empty() ? 0 : ids.front();
}

/// The id s3f_batch_commit will give its batch: events of the batch can start during the commit.
EMSCRIPTEN_KEEPALIVE BatchId s3f_next_batch() { return queue().next_batch_id(); }

EMSCRIPTEN_KEEPALIVE void s3f_policy_commit(UploadId upload, char* url, char* file_field) {
    PostPolicy policy = std::move(page().pending_policy);
    page().pending_policy = PostPolicy{};
    policy.url = take(url);
    policy.file_field = take(file_field);
    queue().provide_policy(upload, std::move(policy));
}

/// The policy request failed: an empty `code` is a PolicyError (`detail`: the server's
/// message); a named one (FileTooLarge, TypeNotAccepted) is a final refusal with its `limit`.
EMSCRIPTEN_KEEPALIVE void s3f_policy_fail(UploadId upload, int status, char* code, char* detail,
                                          double limit) {
    // NaN, negative or out of range (never a real size) is no limit, not undefined behaviour.
    const bool valid = limit > 0 && limit < 1.8e19;
    queue().fail_policy(upload, status, take(code), take(detail),
                        valid ? static_cast<std::uint64_t>(limit) : 0);
}

EMSCRIPTEN_KEEPALIVE void s3f_cancel(UploadId id) { queue().cancel(id); }
EMSCRIPTEN_KEEPALIVE void s3f_cancel_batch(BatchId batch) { queue().cancel_batch(batch); }
// No retry export: the page retries a file as a new batch (web/form.js), which fetches a fresh
// policy and keeps batches short-lived; UploadQueue::retry/retry_failed serve other ports.

/// Releases a finished batch and the page's File objects for it.
EMSCRIPTEN_KEEPALIVE void s3f_forget(BatchId batch) {
    UploadQueue& q = queue();
    if (!q.batch_finished(batch)) return;
    for (UploadId id : q.uploads_of(batch)) s3f_js_release(q.find(id)->spec.file.handle);
    q.forget(batch);
}

/// Lets the last file of the batch being built use multipart through `endpoint` (the API base,
/// as Companion's "/s3/multipart") from `threshold` bytes (0: the page's, default 100 MiB);
/// `last_modified` (File.lastModified) keys its resume entry.
EMSCRIPTEN_KEEPALIVE void s3f_batch_multipart(char* endpoint, double threshold, double last_modified) {
    Page& p = page();
    std::string url = take(endpoint);
    if (p.pending_batch.empty()) return;
    UploadSpec& spec = p.pending_batch.back();
    spec.multipart_endpoint = std::move(url);
    spec.multipart_threshold = threshold > 0 ? static_cast<std::uint64_t>(threshold) : 0;
    spec.file.last_modified = last_modified > 0 ? static_cast<std::uint64_t>(last_modified) : 0;
}

EMSCRIPTEN_KEEPALIVE int s3f_pause(UploadId id) { return queue().pause(id); }
EMSCRIPTEN_KEEPALIVE int s3f_resume(UploadId id) { return queue().resume(id); }

// Multipart answers from web/ (Module.s3f.multipart / .resume). The hooks web/ provides:
//   multipart.create(call, endpoint, file, input)              → mpCreated(call, key, uploadId, signature)
//   multipart.sign(call, endpoint, key, uploadId, [numbers])   → mpSignedUrl(number, url)… then
//                                                                 mpSigned(call, expiresSeconds or 0)
//   multipart.list(call, endpoint, key, uploadId)              → mpListedPart(number, size, etag)… then
//                                                                 mpListed(call)
//   multipart.complete(call, endpoint, key, uploadId, [{PartNumber, ETag}])
//                                                              → mpCompleted(call, location, key, bucket, etag)
//   multipart.abort(endpoint, key, uploadId)                   (no answer)
//   any of them failing                                        → mpFailed(call, status, code, detail)
//   resume.load(call, fingerprint) → resumeLoaded(call, found, uploadId, key, signature, partSize, created)
//   resume.save(fingerprint, {uploadId, key, signature, partSize, created}); resume.remove(fingerprint)
// Answer asynchronously (never inside the hook's own call); strings through api.str().
EMSCRIPTEN_KEEPALIVE void s3f_read_done(ReadId id, std::uint8_t* bytes, double size) {
    queue().on_read(id, bytes, bytes ? static_cast<std::size_t>(size) : 0);
    std::free(bytes);
}

EMSCRIPTEN_KEEPALIVE void s3f_mp_created(CallId call, char* key, char* upload_id, char* signature) {
    queue().on_multipart_created(call, take(key), take(upload_id), take(signature));
}

EMSCRIPTEN_KEEPALIVE void s3f_mp_signed_url(std::uint32_t number, char* url) {
    page().signed_urls.push_back({number, take(url)});
}

EMSCRIPTEN_KEEPALIVE void s3f_mp_signed(CallId call, double expires_seconds) {
    std::vector<SignedPart> urls;
    urls.swap(page().signed_urls);
    queue().on_parts_signed(call, urls, expires_seconds > 0 ? static_cast<std::uint64_t>(expires_seconds) : 0);
}

EMSCRIPTEN_KEEPALIVE void s3f_mp_listed_part(std::uint32_t number, double size, char* etag) {
    page().listed.push_back({number, static_cast<std::uint64_t>(size), take(etag)});
}

EMSCRIPTEN_KEEPALIVE void s3f_mp_listed(CallId call) {
    std::vector<StoredPart> parts;
    parts.swap(page().listed);
    queue().on_parts_listed(call, parts);
}

EMSCRIPTEN_KEEPALIVE void s3f_mp_completed(CallId call, char* location, char* key, char* bucket, char* etag) {
    PostResult result;
    result.location = take(location);
    result.key = take(key);
    result.bucket = take(bucket);
    result.etag = take(etag);
    queue().on_multipart_completed(call, result);
}

EMSCRIPTEN_KEEPALIVE void s3f_mp_failed(CallId call, int status, char* code, char* detail) {
    queue().on_multipart_failed(call, status, take(code), take(detail));
}

EMSCRIPTEN_KEEPALIVE void s3f_resume_loaded(CallId call, int found, char* upload_id, char* key, char* signature,
                                            double part_size, double created) {
    ResumeEntry entry{take(upload_id), take(key), take(signature),
                      part_size > 0 ? static_cast<std::uint64_t>(part_size) : 0,
                      created > 0 ? static_cast<std::uint64_t>(created) : 0};
    queue().on_resume_loaded(call, found ? &entry : nullptr);
}

// Port callbacks from browser_ports.js.
EMSCRIPTEN_KEEPALIVE void s3f_on_progress(RequestId request, double sent) {
    queue().on_progress(request, static_cast<std::uint64_t>(sent));
}

EMSCRIPTEN_KEEPALIVE void s3f_on_response(RequestId request, int status, char* body, char* etag,
                                          char* location, char* retry_after) {
    HttpResponse response;
    response.status = status;
    response.body = take(body);
    response.etag = take(etag);
    response.location = take(location);
    response.retry_after = take(retry_after);
    queue().on_response(request, response);
}

EMSCRIPTEN_KEEPALIVE void s3f_on_timer(TimerId timer) { queue().on_timer(timer); }

}  // extern "C"
