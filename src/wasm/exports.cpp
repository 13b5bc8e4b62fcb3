// The C API the page calls (through browser_ports.js and web/). One engine per page: the
// concurrency limit is per storage host, so every form and element shares one queue.
// Strings passed in are malloc'ed by the JS side and owned (freed) here.
#include <emscripten/emscripten.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "browser_ports.hpp"
#include "exports.hpp"
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
    std::optional<UploadQueue> queue;
    std::vector<UploadSpec> pending_batch;  ///< specs collected before s3f_batch_commit
    PostPolicy pending_policy;             ///< policy collected before s3f_policy_commit
    QueueOptions options = browser_options();

    /// The page's defaults: progress events at most every 50 ms per batch (a file's last one is
    /// never held back), as browsers pace an XHR's own progress; a thousand small files sent
    /// two per file, and building and dispatching them was a tenth of the page's work.
    static QueueOptions browser_options() {
        QueueOptions o;
        o.progress_interval_ms = 50;
        return o;
    }
};

// A plain global, built by the module's constructors: a function-local static would add a
// guard test to every call (every export starts with page() or queue()).
Page the_page;

Page& page() { return the_page; }

}  // namespace

namespace s3file::web {

UploadSpec* last_pending_spec() {
    auto& batch = page().pending_batch;
    return batch.empty() ? nullptr : &batch.back();
}

std::string take(char* text) {
    std::string out = text ? text : "";
    std::free(text);
    return out;
}

QueueOptions& options() { return page().options; }

UploadQueue& queue() {
    Page& p = page();
    if (!p.queue) {
        p.queue.emplace(p.transport, p.timers, p.random, p.events, &p.policies, p.options);
        p.policies.attach(&*p.queue);
#if S3FILE_MULTIPART  // the multipart engine's build of this file (exports_multipart.cpp)
        enable_multipart(*p.queue);
#endif
    }
    return *p.queue;
}

}  // namespace s3file::web

extern "C" {

/// Options apply until the first upload creates the queue; 0 leaves an option as it is (for
/// queue_ahead, where 0 turns it off, a negative value does).
EMSCRIPTEN_KEEPALIVE void s3f_configure(std::uint32_t concurrency, std::uint32_t progress_interval_ms,
                                        std::uint32_t stall_timeout_ms, int queue_ahead) {
    QueueOptions& o = page().options;
    if (queue_ahead >= 0) o.queue_ahead = static_cast<std::uint32_t>(queue_ahead);
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


// Port callbacks from browser_ports.js.
EMSCRIPTEN_KEEPALIVE void s3f_on_progress(RequestId request, double sent, double total) {
    queue().on_progress(request, static_cast<std::uint64_t>(sent), static_cast<std::uint64_t>(total));
}

EMSCRIPTEN_KEEPALIVE void s3f_on_response(RequestId request, int status, char* body) {
    queue().on_response(request, {status, take(body)});
}

EMSCRIPTEN_KEEPALIVE void s3f_on_timer(TimerId timer) { queue().on_timer(timer); }

}  // extern "C"
