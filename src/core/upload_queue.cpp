// The lifecycle of one upload: policy, attempt, progress, response, retry, stall, success.
#include "upload_queue.hpp"

#include <algorithm>

#include "failure_message.hpp"
#include "filenames.hpp"
#include "multipart_handler.hpp"
#include "s3_response.hpp"

namespace s3file {

namespace {
// A multipart upload holds slots through its parts, not itself, while its parts are sent.
bool holds_slot(const Upload& upload, UploadState s) {
    return s == UploadState::Signing || (s == UploadState::Uploading && !parts_of(upload));
}

bool has_field(const Fields& fields, const char* name) {
    for (const auto& field : fields)
        if (field.first == name) return true;
    return false;
}
}  // namespace

UploadQueue::UploadQueue(Transport& transport, Timers& timers, Random& random, EventSink& events,
                         PolicySource* policies, QueueOptions options)
    : transport_(transport), timers_(timers), random_(random), events_(events),
      policies_(policies), options_(std::move(options)) {
    if (options_.concurrency == 0) options_.concurrency = 1;
}

UploadQueue::~UploadQueue() = default;

void UploadQueue::set_state(Upload& upload, UploadState state) {
    const bool small = upload.spec.file.size <= options_.small_file_bytes;
    if (holds_slot(upload, upload.state)) --active_, active_small_ -= small;
    const bool was_terminal = is_terminal(upload.state);
    upload.state = state;
    if (holds_slot(upload, state)) ++active_, active_small_ += small;
    if (state == UploadState::Queued) mark_waiting(upload);
    if (Batch* batch = get_batch(upload.batch); batch != nullptr && was_terminal != is_terminal(state))
        was_terminal ? --batch->ended : ++batch->ended;
    recount(upload);
}

void UploadQueue::mark_waiting(const Upload& upload) {
    const Batch& batch = *find_batch(upload.batch);
    const std::size_t index = batch_begin(batch) + (upload.id - batch.first);
    if (index < queued_from_) queued_from_ = index;
}

bool UploadQueue::wants_slot(const Upload& upload) const {
    return upload.state == UploadState::Queued || (parts_of(upload) && multipart_->wants_slot(upload));
}

// FIFO: the oldest upload that wants a slot (lowest id) gets it first, retries included; a
// multipart upload's parts go in part order before any later file. One waiting for its part
// URLs is passed over until they come.

bool UploadQueue::has_room(const Upload& upload) const {
    const QueueOptions& o = options_;
    if (active_ < o.concurrency) return true;
    // queue_ahead: beyond the limit only small files, only while all in flight are small.
    return o.concurrency >= kBrowserConnectionsPerHost && active_ < o.concurrency + o.queue_ahead &&
           active_small_ == active_ && upload.spec.file.size <= o.small_file_bytes &&
           !(mp() && multipart_->eligible(upload));
}

void UploadQueue::pump() {
    // Multipart uploads fill their parts within `concurrency` themselves.
    for (std::size_t i = queued_from_; i < uploads_.size() && active_ < options_.concurrency + options_.queue_ahead; ++i) {
        Upload& upload = *uploads_[i];
        if (upload.state == UploadState::Queued) {
            if (!has_room(upload)) break;  // first in line, it waits for a connection of its own
            start(upload);
        } else if (parts_of(upload) && upload.state == UploadState::Uploading) {
            multipart_->fill(upload);
        }
        if (i == queued_from_ && !wants_slot(upload)) ++queued_from_;
    }
}

void UploadQueue::start(Upload& upload) {
    if (parts_of(upload) || (mp() && multipart_->eligible(upload))) {
        multipart_->start(upload);
        return;
    }
    if (upload.spec.has_policy) {
        begin_attempt(upload);
        return;
    }
    set_state(upload, UploadState::Signing);
    if (!upload.policy_requested) request_policies(upload);
}

void UploadQueue::request_policies(Upload& upload) {
    if (policies_ == nullptr) {
        // Nothing can provide one: final (a named policy failure is not retried).
        const Failure failure{FailureKind::Policy, 0, "PolicyError", ""};
        handle_failure(upload, failure, {"PolicyError", "", 0, 0});
        return;
    }
    // One round trip for every file of the batch still waiting for a policy.
    std::vector<UploadId> ids;
    const Batch& batch = *find_batch(upload.batch);
    const std::size_t begin = batch_begin(batch);
    for (std::size_t i = begin; i < begin + batch.count; ++i) {
        Upload* other = uploads_[i].get();
        const bool waiting = other->state == UploadState::Queued || other == &upload;
        const bool multipart = mp() && multipart_->eligible(*other);  // needs no policy
        if (waiting && !other->spec.has_policy && !other->policy_requested && !multipart) {
            other->policy_requested = true;
            ids.push_back(other->id);
        }
    }
    policies_->request_policies(upload.batch, ids);
}

void UploadQueue::provide_policy(UploadId id, PostPolicy policy) {
    Upload* upload = get(id);
    if (upload == nullptr || is_terminal(upload->state) || upload->spec.has_policy) return;
    upload->spec.policy = std::move(policy);
    upload->spec.has_policy = true;
    upload->policy_requested = false;
    upload->policy_from_source = true;
    if (upload->state == UploadState::Signing) begin_attempt(*upload);
}

void UploadQueue::fail_policy(UploadId id, int status, const std::string& code,
                              const std::string& detail, std::uint64_t limit) {
    Upload* upload = get(id);
    if (upload == nullptr || upload->spec.has_policy || !upload->policy_requested) return;
    if (upload->state != UploadState::Signing && upload->state != UploadState::Queued) return;
    upload->policy_requested = false;
    const Failure failure{FailureKind::Policy, status, code, ""};
    UploadError error = describe_failure(failure, S3Error{}, detail, options_.retry.stall_timeout_ms);
    error.limit = limit;
    handle_failure(*upload, failure, error);
    pump();
}

void UploadQueue::assign_key(Upload& upload) {
    if (!upload.sent_key.empty()) return;  // keep the name across retries
    std::string key_template;
    for (const auto& field : upload.spec.policy.fields)
        if (field.first == "key") key_template = field.second;
    const std::string& name = upload.spec.file.name;
    std::string key = substitute_filename(key_template, name);
    std::uint32_t hash = key_hash_of(key.c_str());
    // Same-named files in one signed folder would overwrite each other: number them. Its own
    // key is still empty, so it never matches itself.
    const Batch& batch = *find_batch(upload.batch);
    for (unsigned n = 2; key_template.find(kFilenameVariable) != std::string::npos; ++n) {
        // The batch's first upload with this key, if any: hashes first, strings only when equal.
        const std::size_t begin = batch_begin(batch), end = begin + batch.count;
        std::size_t i = begin;
        while (i < end && !(key_hashes_[i] == hash && uploads_[i]->sent_key == key)) ++i;
        if (i == end) break;  // no other upload has it
        key = substitute_filename(key_template, numbered_name(name, n));
        hash = key_hash_of(key.c_str());
    }
    set_key(upload, key);
}

void UploadQueue::set_key(Upload& upload, const std::string& key) {
    upload.sent_key = key;
    key_hashes_[index_of(upload.id)] = key_hash_of(key.c_str());
}

Fields UploadQueue::request_fields(const Upload& upload) const {
    Fields fields = upload.spec.policy.fields;
    for (auto& field : fields)
        if (field.first == "key") field.second = upload.sent_key;
    // What the seed's script appends (protocol.md §3): a 201 XML reply and the file's type.
    // Always push_back(Field): each distinct emplace_back argument list would be one more copy
    // of the vector's growth path in the wasm.
    if (!has_field(fields, "success_action_status")) fields.push_back({"success_action_status", "201"});
    if (!has_field(fields, "Content-Type")) fields.push_back({"Content-Type", upload.spec.file.type});
    return fields;
}

void UploadQueue::begin_attempt(Upload& upload) {
    assign_key(upload);
    FileRef file = upload.spec.file;
    // The stored name is the last segment of the key when the widget chose it (numbering).
    const std::size_t slash = upload.sent_key.rfind('/');
    if (!upload.sent_key.empty()) file.name = upload.sent_key.substr(slash == std::string::npos ? 0 : slash + 1);
    HttpRequest request;
    request.method = "POST";
    request.url = upload.spec.policy.url;
    request.body.fields = request_fields(upload);
    request.body.file_field = upload.spec.policy.file_field;
    request.body.file = file;
    upload.loaded = 0;
    ++upload.attempts;
    upload.request = (upload.id << 8) | (upload.attempts & 0xFF);
    upload.last_progress_ms = timers_.now_ms();
    set_state(upload, UploadState::Uploading);
    upload.in_browser_queue = posting_ >= kBrowserConnectionsPerHost;
    // The first POST in flight arms the stall sweep; later ones' deadlines are later, and the
    // sweep checks them when it fires for the earliest.
    if (posting_++ == 0) timers_.start(kStallSweep, options_.retry.stall_timeout_ms);
    const UploadId id = upload.id;
    const RequestId request_id = upload.request;
    transport_.send(request_id, request);
    // One waiting in the browser's queue starts when its bytes move (on_progress), so a page
    // does not show a thousand files "uploading" while six are.
    if (const Upload* still = get(id); still != nullptr && still->request == request_id && !still->in_browser_queue)
        emit_upload(EventType::UploadStarted, *still);
}

bool UploadQueue::started(Upload& upload) {
    if (!upload.in_browser_queue) return true;
    upload.in_browser_queue = false;
    const UploadId id = upload.id;
    const RequestId request = upload.request;
    emit_upload(EventType::UploadStarted, upload);
    const Upload* still = get(id);  // a listener may have canceled it, or forgotten its batch
    return still != nullptr && still->request == request;
}

void UploadQueue::start_timer(Upload& upload, std::uint64_t delay_ms) {
    if (upload.timer != 0) timers_.cancel(upload.timer);
    upload.timer = (upload.id << 8) | ++upload.timer_generation;
    timers_.start(upload.timer, delay_ms);
}

void UploadQueue::clear_io(Upload& upload) {
    if (upload.request != 0 && --posting_ == 0) timers_.cancel(kStallSweep);  // nothing left to watch
    upload.request = 0;
    if (upload.timer != 0) timers_.cancel(upload.timer);
    upload.timer = 0;
}

void UploadQueue::on_progress(RequestId request, std::uint64_t envelope_bytes_sent, std::uint64_t envelope_total) {
    if (kMultipartBuild && is_part_io(request)) {
        if (mp()) multipart_->on_progress(request, envelope_bytes_sent);
        return;
    }
    Upload* upload = owner(request);
    if (upload == nullptr || upload->request != request) return;  // a late event of an aborted attempt
    const std::uint64_t loaded =
        file_bytes_sent(envelope_bytes_sent, envelope_total, upload->spec.file.size);
    // The stall timer checks this when it fires, instead of being restarted on every tick.
    upload->last_progress_ms = last_activity_ms_ = timers_.now_ms();
    if (!started(*upload)) return;
    if (loaded > upload->best) {
        // Further than any earlier attempt got: real progress, so the retry budget starts over.
        upload->best = loaded;
        recount(*upload);
        upload->failures = 0;
    }
    upload->loaded = loaded;
    emit_upload(EventType::UploadProgress, *upload);
}

void UploadQueue::on_response(RequestId request, const HttpResponse& response) {
    if (kMultipartBuild && is_part_io(request)) {
        if (mp()) multipart_->on_response(request, response);
        pump();
        return;
    }
    Upload* upload = owner(request);
    if (upload == nullptr || upload->request != request) return;
    last_activity_ms_ = timers_.now_ms();
    if (!started(*upload)) return;  // no progress event came: it starts as it ends
    clear_io(*upload);
    if (response.status == 201) {
        PostResult result;
        std::string error;
        if (parse_post_response(response.body, result, error)) {
            if (result.etag.empty()) result.etag = transport_.response_header("etag");
            quote_etag(result.etag);  // RGW: unquoted in the XML, no header
            succeed(*upload, std::move(result));
        } else {
            const Failure failure{FailureKind::BadReply, 201, "", ""};
            handle_failure(*upload, failure,
                           describe_failure(failure, S3Error{}, error, options_.retry.stall_timeout_ms));
        }
    } else if (response.status == 200 || response.status == 204) {
        // success_action_status 200/204: no body; the key is the one we sent.
        PostResult result{upload->sent_key, transport_.response_header("etag"), transport_.response_header("location"), ""};
        quote_etag(result.etag);
        succeed(*upload, std::move(result));
    } else {
        fail_request(*upload, response);
    }
    pump();
}

void UploadQueue::fail_request(Upload& upload, const HttpResponse& response) {
    Failure failure{response.status == 0 ? FailureKind::Network : FailureKind::Http,
                    response.status, "", transport_.response_header("retry-after")};
    S3Error s3;
    std::string parse_error;
    if (response.status != 0 && parse_s3_error(response.body, s3, parse_error))
        failure.code = s3.code;
    else
        s3 = S3Error{};  // a half-read document is not trusted
    const UploadError error = describe_failure(failure, s3, parse_error, options_.retry.stall_timeout_ms);
    // A page left open past the policy's expiration: a policy source can issue a fresh one,
    // so the user does not have to reload (once; a second expiry is a real problem).
    // Keyed on S3's reply itself, not on the code we derived from it.
    if (is_policy_expired(s3) && upload.policy_from_source && !upload.policy_renewed) {
        upload.policy_renewed = true;
        upload.spec.has_policy = false;
        upload.sent_key.clear();
        upload.error = error;
        set_state(upload, UploadState::Queued);
        emit_upload(EventType::UploadRetry, upload);
        return;
    }
    handle_failure(upload, failure, error);
}

void UploadQueue::on_timer(TimerId timer) {
    if (kMultipartBuild && is_part_io(timer)) {
        if (mp()) multipart_->on_timer(timer);
        pump();
        return;
    }
    if (timer == kStallSweep) {
        sweep_stalls();
        pump();
        return;
    }
    Upload* upload = owner(timer);
    if (upload == nullptr || upload->timer != timer) return;  // cancelled or superseded
    upload->timer = 0;
    if (upload->state == UploadState::RetryWaiting) set_state(*upload, UploadState::Queued);
    pump();
}

void UploadQueue::sweep_stalls() {
    const std::uint64_t limit = options_.retry.stall_timeout_ms;
    std::uint64_t next = limit;  // until the earliest deadline of what is still in flight
    for (std::size_t i = 0; i < uploads_.size(); ++i) {
        Upload& upload = *uploads_[i];
        if (upload.request == 0) continue;
        // One waiting in the browser's queue is overdue only once nothing else moved for as long.
        const std::uint64_t since = upload.in_browser_queue ? std::max(upload.last_progress_ms, last_activity_ms_)
                                                            : upload.last_progress_ms;
        const std::uint64_t idle = timers_.now_ms() - since;
        if (idle < limit) {
            next = std::min(next, limit - idle);
            continue;
        }
        const RequestId request = upload.request;
        clear_io(upload);
        transport_.abort(request);
        const Failure failure{FailureKind::Stalled, 0, "", ""};
        handle_failure(upload, failure, describe_failure(failure, S3Error{}, "", limit));
        // Its listeners may have enqueued or forgotten batches, which moves uploads_: look again.
        i = static_cast<std::size_t>(-1);
        next = limit;
    }
    if (posting_ != 0) {
        // A request a listener started after the last one in flight ended armed it again.
        timers_.cancel(kStallSweep);
        timers_.start(kStallSweep, next);
    }
}

void UploadQueue::succeed(Upload& upload, PostResult result) {
    upload.result = std::move(result);
    upload.loaded = upload.best = upload.spec.file.size;
    upload.error = {};
    set_state(upload, UploadState::Succeeded);
    // Copies first: a listener may enqueue, which moves uploads in memory.
    const BatchId batch = upload.batch;
    const UploadId id = upload.id;
    // The freed slot's next request goes out first, so the network carries it while the page
    // handles this file's events (for many small files the connection idled through them).
    pump();
    // The file's last tick always goes out when it completes its input or its batch (what pages
    // show as done); other files' last ticks are throttled like any tick: with a thousand small
    // files, one forced per file was a quarter of the page's events.
    const Batch* ending = find_batch(batch);
    const Upload* first = find(upload.input_first);
    const bool completes = (ending != nullptr && ending->ended == ending->count) ||
                           (first != nullptr && first->input_sum.result().fraction >= 1.0);
    if (const Upload* still = get(id); still != nullptr && still->state == UploadState::Succeeded)
        emit_upload(EventType::UploadProgress, *still, completes);
    if (const Upload* still = get(id); still != nullptr && still->state == UploadState::Succeeded)
        emit_upload(EventType::UploadSucceeded, *still);
    finish_if_done(batch);
}

void UploadQueue::handle_failure(Upload& upload, const Failure& failure, const UploadError& error) {
    upload.error = error;
    ++upload.failures;
    std::uint64_t delay = 0;
    if (options_.retry.should_retry(failure) &&
        options_.retry.next_delay(upload.failures, failure, random_, delay)) {
        set_state(upload, UploadState::RetryWaiting);
        start_timer(upload, delay);
        emit_upload(EventType::UploadRetry, upload, false, delay);
        return;
    }
    fail(upload, error);
}

void UploadQueue::fail(Upload& upload, const UploadError& error) {
    upload.error = error;
    set_state(upload, UploadState::Failed);
    const BatchId batch = upload.batch;
    emit_upload(EventType::UploadFailed, upload);
    finish_if_done(batch);
}

}  // namespace s3file
