// The steps of a multipart upload: resume lookup, create, list, part URLs, complete (the parts
// themselves are in multipart_parts.cpp). Each step is one call on a port; its answer moves
// the upload on, unless it was paused, canceled or failed meanwhile.
#include "multipart_uploads.hpp"

#include "failure_message.hpp"
#include "upload_queue.hpp"

namespace s3file {

namespace {
/// A part URL is not started within this long of its expiry: the request must reach S3 before
/// the signature expires, behind up to five others on the browser's connections.
constexpr std::uint64_t kUrlMarginMs = 30000;
/// Lifetime assumed when the signer does not say (Companion's batch route): 5 minutes, below
/// the defaults of the usual signers (Companion 800 s, the AWS SDKs 900 s, boto3 3600 s).
constexpr std::uint64_t kDefaultUrlLifetimeS = 300;
}  // namespace

std::string resume_fingerprint(const UploadSpec& spec) {
    const FileRef& file = spec.file;
    return file.name + '\n' + std::to_string(file.size) + '\n' + std::to_string(file.last_modified) + '\n' +
           spec.multipart_endpoint;
}

bool MultipartUploads::eligible(const Upload& upload) const {
    const std::uint64_t threshold =
        upload.spec.multipart_threshold ? upload.spec.multipart_threshold : queue_.options_.multipart_threshold;
    return !upload.spec.multipart_endpoint.empty() && upload.spec.file.size >= threshold;
}

bool MultipartUploads::wants_slot(const Upload& upload) const {
    const Multipart& mp = *upload.multipart;
    return upload.state == UploadState::Uploading && mp.phase == MultipartPhase::Parts &&
           mp.first_missing < mp.plan.count;
}

bool MultipartUploads::can_pause(const Upload& upload) const {
    return upload.multipart->phase != MultipartPhase::Complete;
}

Upload* MultipartUploads::call_owner(CallId call) {
    Upload* upload = queue_.get(call >> 8);
    return upload != nullptr && upload->multipart && upload->multipart->call == call ? upload : nullptr;
}

CallId MultipartUploads::next_call(Upload& upload) {
    Multipart& mp = *upload.multipart;
    return mp.call = (upload.id << 8) | ++mp.call_generation;
}

void MultipartUploads::start(Upload& upload) {
    if (!upload.multipart) {
        auto mp = std::make_unique<Multipart>();
        if (!plan_parts(upload.spec.file.size, mp->plan, queue_.options_.part_size)) {
            // S3's own refusal for objects beyond 5 TiB, with the limit to show.
            queue_.fail(upload, {"EntityTooLarge", "", 0, kMaxObjectSize});
            return;
        }
        mp->ref.endpoint = upload.spec.multipart_endpoint;
        mp->fingerprint = resume_fingerprint(upload.spec);
        mp->phase = store_ != nullptr ? MultipartPhase::Lookup : MultipartPhase::Create;
        upload.multipart = std::move(mp);
    }
    const MultipartPhase phase = upload.multipart->phase;
    if (phase == MultipartPhase::Parts || phase == MultipartPhase::Complete) {
        enter_parts(upload);
        return;
    }
    queue_.set_state(upload, UploadState::Signing);
    if (upload.multipart->call == 0) call_step(upload);  // else its answer is still coming
}

// Issues the call of the upload's current step.
void MultipartUploads::call_step(Upload& upload) {
    Multipart& mp = *upload.multipart;
    switch (mp.phase) {
    case MultipartPhase::Lookup:
        store_->load(next_call(upload), mp.fingerprint);
        break;
    case MultipartPhase::Create:
        api_.create(next_call(upload), mp.ref.endpoint, upload.spec.file, upload.spec.input);
        break;
    case MultipartPhase::List:
        api_.list_parts(next_call(upload), mp.ref);
        break;
    case MultipartPhase::Complete: {
        // CompleteMultipartUpload lists the parts in ascending order (S3: InvalidPartOrder).
        std::vector<StoredPart> parts;
        parts.reserve(mp.parts.size());
        for (std::uint32_t i = 0; i < mp.plan.count; ++i)
            parts.push_back({i + 1, mp.plan.size_of(i, upload.spec.file.size), mp.parts[i].etag});
        api_.complete(next_call(upload), mp.ref, parts);
        break;
    }
    case MultipartPhase::Parts:
        break;
    }
}

// After an answer: the next step, unless the user paused meanwhile (resume() continues there).
void MultipartUploads::continue_after_answer(Upload& upload) {
    const Multipart& mp = *upload.multipart;
    if (upload.state != UploadState::Signing && upload.state != UploadState::Uploading) return;
    if (mp.phase == MultipartPhase::Parts || mp.phase == MultipartPhase::Complete)
        enter_parts(upload);
    else
        call_step(upload);
}

// Parts (or completion) from now on: the upload itself holds no slot, its parts do.
void MultipartUploads::enter_parts(Upload& upload) {
    Multipart& mp = *upload.multipart;
    if (mp.parts.size() != mp.plan.count) mp.parts.resize(mp.plan.count);
    if (mp.done == mp.plan.count) mp.phase = MultipartPhase::Complete;
    const bool first = upload.state != UploadState::Uploading;
    if (first) {
        ++upload.attempts;
        queue_.set_state(upload, UploadState::Uploading);
        queue_.emit_upload(EventType::UploadStarted, upload);
    }
    if (mp.phase == MultipartPhase::Complete) {
        if (mp.call == 0) call_step(upload);
    } else {
        queue_.mark_waiting(upload);
        fill(upload);  // it is the oldest upload wanting slots where pump() or an answer got here
    }
}

void MultipartUploads::save_entry(const Upload& upload) {
    const Multipart& mp = *upload.multipart;
    if (store_ != nullptr)
        store_->save(mp.fingerprint, {mp.ref.upload_id, mp.ref.key, mp.signature, mp.plan.part_size, mp.created_ms});
}

void MultipartUploads::on_resume_loaded(CallId call, const ResumeEntry* entry) {
    Upload* upload = call_owner(call);
    if (upload == nullptr || upload->multipart->phase != MultipartPhase::Lookup) return;
    Multipart& mp = *upload->multipart;
    mp.call = 0;
    PartPlan plan;
    const std::uint64_t now = queue_.timers_.epoch_ms();
    const bool usable = entry != nullptr && !entry->upload_id.empty() && !entry->key.empty() &&
                        now - entry->created_ms < queue_.options_.resume_max_age_ms &&
                        plan_parts_with_size(upload->spec.file.size, entry->part_size, plan);
    if (usable) {
        mp.ref.key = entry->key;
        mp.ref.upload_id = entry->upload_id;
        mp.signature = entry->signature;
        mp.created_ms = entry->created_ms;
        mp.plan = plan;
        queue_.set_key(*upload, entry->key);
        mp.phase = MultipartPhase::List;
    } else {
        if (entry != nullptr) store_->remove(mp.fingerprint);  // stale: its parts are gone
        mp.phase = MultipartPhase::Create;
    }
    if (!is_terminal(upload->state)) continue_after_answer(*upload);
}

void MultipartUploads::on_created(CallId call, const std::string& key, const std::string& upload_id,
                                  const std::string& signature) {
    Upload* upload = call_owner(call);
    if (upload == nullptr || upload->multipart->phase != MultipartPhase::Create) return;
    Multipart& mp = *upload->multipart;
    mp.call = 0;
    mp.ref.key = key;
    mp.ref.upload_id = upload_id;
    if (upload->state == UploadState::Canceled) {
        api_.abort(mp.ref);  // canceled while it was being created: nothing may stay behind
        return;
    }
    if (is_terminal(upload->state)) return;
    if (key.empty() || upload_id.empty()) {
        queue_.fail(*upload, {"BadReply", "multipart create: no key or uploadId", 0, 0});
        return;
    }
    mp.signature = signature;
    mp.created_ms = queue_.timers_.epoch_ms();
    queue_.set_key(*upload, key);
    upload->failures = 0;
    mp.phase = MultipartPhase::Parts;
    save_entry(*upload);
    continue_after_answer(*upload);
}

void MultipartUploads::on_listed(CallId call, const std::vector<StoredPart>& stored) {
    Upload* upload = call_owner(call);
    if (upload == nullptr || upload->multipart->phase != MultipartPhase::List) return;
    Multipart& mp = *upload->multipart;
    mp.call = 0;
    if (is_terminal(upload->state)) return;
    mp.parts.assign(mp.plan.count, Part{});
    mp.confirmed = 0;
    mp.done = 0;
    // A stored part counts when it is the size this plan gives it; any other is sent again
    // (UploadPart to the same number replaces it).
    for (const StoredPart& part : stored) {
        if (part.number < 1 || part.number > mp.plan.count || part.etag.empty()) continue;
        Part& mine = mp.parts[part.number - 1];
        const std::uint64_t size = mp.plan.size_of(part.number - 1, upload->spec.file.size);
        if (mine.state == PartState::Done || part.size != size) continue;
        mine.state = PartState::Done;
        mine.etag = part.etag;
        quote_etag(mine.etag);
        mp.confirmed += size;
        ++mp.done;
    }
    mp.first_missing = 0;
    while (mp.first_missing < mp.plan.count && mp.parts[mp.first_missing].state == PartState::Done) ++mp.first_missing;
    upload->failures = 0;
    mp.phase = MultipartPhase::Parts;
    update_loaded(*upload);
    queue_.emit_upload(EventType::UploadProgress, *upload, true);
    continue_after_answer(*upload);
}

void MultipartUploads::request_urls(Upload& upload, std::uint32_t from) {
    Multipart& mp = *upload.multipart;
    if (mp.call != 0 || upload.timer != 0) return;  // asked already, or waiting to ask again
    std::vector<std::uint32_t> numbers;
    for (std::uint32_t i = from; i < mp.plan.count && numbers.size() < queue_.options_.part_urls_per_request; ++i)
        if (mp.parts[i].state == PartState::Missing && mp.parts[i].url.empty()) numbers.push_back(i + 1);
    api_.sign_parts(next_call(upload), mp.ref, numbers);
}

void MultipartUploads::on_signed(CallId call, const std::vector<SignedPart>& urls, std::uint64_t expires_seconds) {
    Upload* upload = call_owner(call);
    if (upload == nullptr || upload->multipart->phase != MultipartPhase::Parts) return;
    Multipart& mp = *upload->multipart;
    mp.call = 0;
    if (is_terminal(upload->state)) return;
    const std::uint64_t lifetime = (expires_seconds ? expires_seconds : kDefaultUrlLifetimeS) * 1000;
    const std::uint64_t until =
        queue_.timers_.now_ms() + (lifetime > 2 * kUrlMarginMs ? lifetime - kUrlMarginMs : lifetime / 2);
    bool any = false;
    for (const SignedPart& signed_part : urls) {
        if (signed_part.number < 1 || signed_part.number > mp.plan.count || signed_part.url.empty()) continue;
        Part& part = mp.parts[signed_part.number - 1];
        if (part.state == PartState::Done) continue;
        part.url = signed_part.url;
        part.url_until_ms = until;
        any = true;
    }
    // Without a single usable URL the same parts would be asked for again and again.
    if (!any) fail_upload(*upload, {"BadReply", "multipart sign: no part URL", 0, 0});
}

void MultipartUploads::on_completed(CallId call, PostResult result) {
    Upload* upload = call_owner(call);
    if (upload == nullptr || upload->multipart->phase != MultipartPhase::Complete) return;
    Multipart& mp = *upload->multipart;
    mp.call = 0;
    if (is_terminal(upload->state)) return;
    if (store_ != nullptr) store_->remove(mp.fingerprint);
    if (result.key.empty()) result.key = mp.ref.key;
    quote_etag(result.etag);  // RGW answers complete with an empty ETag: kept empty
    queue_.succeed(*upload, std::move(result));
}

void MultipartUploads::on_failed(CallId call, int status, const std::string& code, const std::string& detail) {
    Upload* upload = call_owner(call);
    if (upload == nullptr) return;
    Multipart& mp = *upload->multipart;
    mp.call = 0;
    if (is_terminal(upload->state) || upload->state == UploadState::Paused) return;  // resume() asks again
    // The stored upload is gone (expired, aborted elsewhere): start a new one.
    if (mp.phase == MultipartPhase::List && (status == 404 || code == "NoSuchUpload")) {
        if (store_ != nullptr) store_->remove(mp.fingerprint);
        mp.phase = MultipartPhase::Create;
        continue_after_answer(*upload);
        return;
    }
    const Failure failure{FailureKind::Policy, status, code, ""};
    const UploadError error = describe_failure(failure, S3Error{}, detail, queue_.options_.retry.stall_timeout_ms);
    if (mp.phase != MultipartPhase::Parts) {
        queue_.handle_failure(*upload, failure, error);  // the step is called again after the delay
        return;
    }
    // Part URLs: the parts in flight go on; asking again waits for the upload's retry timer.
    std::uint64_t delay = 0;
    const RetryPolicy& retry = queue_.options_.retry;
    if (retry.should_retry(failure) && retry.next_delay(++upload->failures, failure, queue_.random_, delay)) {
        upload->error = error;
        queue_.start_timer(*upload, delay);
        queue_.emit_upload(EventType::UploadRetry, *upload, false, delay);
        return;
    }
    fail_upload(*upload, error);
}

void MultipartUploads::cancel(Upload& upload) {
    stop(upload);
    Multipart& mp = *upload.multipart;
    if (mp.ref.upload_id.empty()) return;  // a create still under way is aborted when it answers
    api_.abort(mp.ref);
    if (store_ != nullptr) store_->remove(mp.fingerprint);
    mp.call = 0;
}

void MultipartUploads::fail_upload(Upload& upload, const UploadError& error) {
    stop(upload);
    queue_.clear_io(upload);
    queue_.fail(upload, error);  // the stored parts and the resume entry stay: retry continues
}

}  // namespace s3file
