// Batches and queries of the upload queue: enqueueing, lookups, aggregates, cancel, retry,
// forgetting, and the events that report them (the lifecycle of one upload is in
// upload_queue.cpp).
#include <algorithm>

#include "upload_queue.hpp"

#include "filenames.hpp"
#include "multipart_handler.hpp"

namespace s3file {

BatchId UploadQueue::enqueue(std::vector<UploadSpec> specs) {
    Batch batch;
    batch.id = next_batch_++;
    batch.first = next_upload_;
    batch.count = static_cast<std::uint32_t>(specs.size());
    batch.throttle.set_interval(options_.progress_interval_ms);
    batches_.push_back(batch);
    std::vector<UploadId> firsts;  // of each input in this batch (a form has few)
    for (auto& spec : specs) {
        uploads_.push_back(std::make_unique<Upload>(next_upload_++, batch.id, std::move(spec)));
        key_hashes_.push_back(0);
        Upload& upload = *uploads_.back();
        upload.spec.file.name = safe_basename(upload.spec.file.name);
        for (UploadId first : firsts)
            if (get(first)->spec.input == upload.spec.input) upload.input_first = first;
        if (upload.input_first == 0) firsts.push_back(upload.input_first = upload.id);
        upload.counted = {0, upload.spec.file.size, false};
        for (ProgressSum* sum : {&batches_.back().sum, &get(upload.input_first)->input_sum}) sum->add(upload.counted);
    }
    if (specs.empty()) finish_if_done(batch.id);
    pump();
    return batch.id;
}

std::size_t UploadQueue::index_of(UploadId id) const {
    auto it = std::lower_bound(uploads_.begin(), uploads_.end(), id,
                               [](const std::unique_ptr<Upload>& u, UploadId wanted) { return u->id < wanted; });
    return static_cast<std::size_t>(it - uploads_.begin());
}

const Upload* UploadQueue::find(UploadId id) const {
    const std::size_t index = index_of(id);
    return index == uploads_.size() || uploads_[index]->id != id ? nullptr : uploads_[index].get();
}

const UploadQueue::Batch* UploadQueue::find_batch(BatchId id) const {
    auto it = std::lower_bound(batches_.begin(), batches_.end(), id,
                               [](const Batch& b, BatchId wanted) { return b.id < wanted; });
    return it == batches_.end() || it->id != id ? nullptr : &*it;
}

std::size_t UploadQueue::batch_begin(const Batch& batch) const {
    return batch.count == 0 ? uploads_.size() : index_of(batch.first);
}

std::vector<UploadId> UploadQueue::uploads_of(BatchId batch) const {
    std::vector<UploadId> ids;
    if (const Batch* b = find_batch(batch))
        for (std::uint32_t i = 0; i < b->count; ++i) ids.push_back(b->first + i);
    return ids;
}

bool UploadQueue::batch_finished(BatchId batch) const {
    const Batch* b = find_batch(batch);
    return b != nullptr && b->finished;
}

// Aggregates use each file's best attempt so that a retry never moves a bar backwards.

Aggregate UploadQueue::progress_of(BatchId batch_id, const std::string* input) const {
    const Batch* batch = find_batch(batch_id);
    if (batch == nullptr) return ProgressSum{}.result();
    if (input == nullptr) return batch->sum.result();
    // Events take the upload's own input_first; this by-name lookup is for the page's callers.
    const std::size_t begin = batch_begin(*batch);
    for (std::size_t i = begin; i < begin + batch->count; ++i)
        if (const Upload* upload = uploads_[i].get(); upload->spec.input == *input)
            return find(upload->input_first)->input_sum.result();
    return ProgressSum{}.result();
}

void UploadQueue::recount(Upload& upload) {
    Batch* batch = get_batch(upload.batch);
    if (batch == nullptr) return;
    const FileProgress now{upload.best, upload.spec.file.size, upload.state == UploadState::Succeeded};
    for (ProgressSum* sum : {&batch->sum, &get(upload.input_first)->input_sum}) sum->change(upload.counted, now);
    upload.counted = now;
}

Aggregate UploadQueue::input_progress(BatchId batch, const std::string& input) const {
    return progress_of(batch, &input);
}

Aggregate UploadQueue::batch_progress(BatchId batch) const { return progress_of(batch, nullptr); }

void UploadQueue::cancel(UploadId id) {
    Upload* upload = get(id);
    if (upload == nullptr || is_terminal(upload->state)) return;
    if (parts_of(*upload)) multipart_->cancel(*upload);
    const RequestId request = upload->request;
    clear_io(*upload);
    if (request != 0) transport_.abort(request);
    upload->error = {"Canceled", "", 0, 0};
    set_state(*upload, UploadState::Canceled);
    const BatchId batch = upload->batch;
    emit_upload(EventType::UploadCanceled, *upload);
    finish_if_done(batch);
    pump();
}

void UploadQueue::cancel_batch(BatchId batch) {
    for (UploadId id : uploads_of(batch)) cancel(id);
}

void UploadQueue::cancel_all() {
    if (!uploads_.empty())
        for (UploadId id = uploads_.front()->id; id < next_upload_; ++id) cancel(id);
}

void UploadQueue::requeue(Upload& upload) {
    upload.failures = 0;
    upload.error = {};
    // A policy answer that came while the upload was canceled was dropped: ask again.
    upload.policy_requested = false;
    // The user asked again: an expired policy from the source may be renewed once more.
    upload.policy_renewed = false;
    // A canceled multipart upload was aborted at S3: it starts over. A failed one keeps its
    // stored parts and sends the missing ones.
    if (kMultipartBuild && upload.state == UploadState::Canceled) upload.multipart.reset();
    set_state(upload, UploadState::Queued);
}

bool UploadQueue::pause(UploadId id) {
    Upload* upload = get(id);
    if (upload == nullptr || is_terminal(upload->state) || upload->state == UploadState::Paused) return false;
    if (parts_of(*upload)) {
        if (!multipart_->can_pause(*upload)) return false;
        multipart_->stop(*upload);
    }
    const RequestId request = upload->request;
    clear_io(*upload);
    if (request != 0) transport_.abort(request);
    upload->loaded = parts_of(*upload) ? parts_of(*upload)->confirmed : 0;
    // A policy answer may still come (and is kept); a failed one must not be waited for.
    upload->policy_requested = false;
    set_state(*upload, UploadState::Paused);
    emit_upload(EventType::UploadPaused, *upload, true);
    pump();
    return true;
}

bool UploadQueue::resume(UploadId id) {
    Upload* upload = get(id);
    if (upload == nullptr || upload->state != UploadState::Paused) return false;
    upload->failures = 0;
    set_state(*upload, UploadState::Queued);
    emit_upload(EventType::UploadResumed, *upload, true);
    pump();
    return true;
}

std::size_t UploadQueue::retry_failed(BatchId batch_id) {
    Batch* batch = get_batch(batch_id);
    if (batch == nullptr || !batch->finished) return 0;
    std::size_t count = 0;
    const std::size_t begin = batch_begin(*batch);
    for (std::size_t i = begin; i < begin + batch->count; ++i) {
        Upload* upload = uploads_[i].get();
        if (upload->state != UploadState::Failed && upload->state != UploadState::Canceled) continue;
        requeue(*upload);
        ++count;
    }
    if (count > 0) batch->finished = false;
    pump();
    return count;
}

bool UploadQueue::retry(UploadId id) {
    Upload* upload = get(id);
    if (upload == nullptr) return false;
    if (upload->state != UploadState::Failed && upload->state != UploadState::Canceled) return false;
    requeue(*upload);
    get_batch(upload->batch)->finished = false;  // it reports its end again
    pump();
    return true;
}

void UploadQueue::forget(BatchId batch_id) {
    const Batch* batch = find_batch(batch_id);
    if (batch == nullptr || !batch->finished) return;
    const auto index = static_cast<std::ptrdiff_t>(batch_begin(*batch));
    uploads_.erase(uploads_.begin() + index, uploads_.begin() + index + batch->count);
    key_hashes_.erase(key_hashes_.begin() + index, key_hashes_.begin() + index + batch->count);
    batches_.erase(batches_.begin() + (batch - batches_.data()));
    queued_from_ = 0;
}

void UploadQueue::finish_if_done(BatchId batch_id) {
    Batch* batch = get_batch(batch_id);
    if (batch == nullptr || batch->finished || batch->ended < batch->count) return;
    Event event;
    event.batch = batch_id;
    event.type = EventType::BatchSucceeded;
    const std::size_t begin = batch_begin(*batch);
    for (std::size_t i = begin; i < begin + batch->count; ++i) {
        const Upload* upload = uploads_[i].get();
        if (!is_terminal(upload->state)) return;
        if (upload->state != UploadState::Succeeded) {
            event.type = EventType::BatchFailed;
            event.failed.push_back(upload);
        }
    }
    batch->finished = true;
    event.batch_progress = batch_progress(batch_id);
    events_.emit(event);
}

void UploadQueue::emit_upload(EventType type, const Upload& upload, bool force_progress,
                              std::uint64_t retry_delay_ms, std::uint32_t part) {
    Event event;
    event.type = type;
    event.batch = upload.batch;
    event.upload = &upload;
    event.file = {upload.loaded, upload.spec.file.size, upload.state == UploadState::Succeeded};
    event.input_progress = find(upload.input_first)->input_sum.result();
    event.batch_progress = batch_progress(upload.batch);
    event.retry_delay_ms = retry_delay_ms;
    event.part = part;
    if (part != 0 && parts_of(upload)) {
        event.part_size = upload.multipart->plan.size_of(part - 1, upload.spec.file.size);
        event.part_etag = &upload.multipart->parts[part - 1].etag;
    }
    Batch& batch = *get_batch(upload.batch);
    if (type == EventType::UploadProgress) {
        const std::uint64_t now = timers_.now_ms();
        batch.speed.sample(now, event.batch_progress.loaded);
        if (!batch.throttle.admit(now, force_progress)) return;
    }
    event.bytes_per_second = batch.speed.bytes_per_second();
    event.eta_seconds = batch.speed.eta_seconds(event.batch_progress.total - event.batch_progress.loaded);
    events_.emit(event);
}

}  // namespace s3file
