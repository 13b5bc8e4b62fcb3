// The parts of a multipart upload: each one holds a slot of the queue while its slice of the
// file is hashed (Content-MD5, RFC 1864) in bounded chunks and then PUT to its presigned URL;
// each is retried and stall-checked on its own.
#include <algorithm>

#include "failure_message.hpp"
#include "multipart_uploads.hpp"
#include "upload_queue.hpp"

namespace s3file {

MultipartUploads::Flight* MultipartUploads::flight_by_io(std::uint32_t io) {
    for (Flight& flight : flights_)
        if (flight.io == io) return &flight;
    return nullptr;
}

MultipartUploads::Flight* MultipartUploads::flight_by_timer(TimerId timer) {
    for (Flight& flight : flights_)
        if (flight.timer == timer) return &flight;
    return nullptr;
}

void MultipartUploads::drop_flight(const Flight& flight) {
    flights_.erase(flights_.begin() + (&flight - flights_.data()));
}

std::uint32_t MultipartUploads::stall_timer(Flight& flight, std::uint64_t delay_ms) {
    if (flight.timer != 0) queue_.timers_.cancel(flight.timer);
    flight.timer = next_io();
    queue_.timers_.start(flight.timer, delay_ms);
    return flight.timer;
}

void MultipartUploads::set_missing(Upload& upload, std::uint32_t index) {
    Multipart& mp = *upload.multipart;
    mp.parts[index].state = PartState::Missing;
    mp.first_missing = std::min(mp.first_missing, index);
    queue_.mark_waiting(upload);
}

// File progress: the stored parts plus what the parts in flight have sent. Bars use `best`,
// so an aborted part's bytes never make them go back, and each byte is counted once.
void MultipartUploads::update_loaded(Upload& upload) {
    std::uint64_t loaded = upload.multipart->confirmed;
    for (const Flight& flight : flights_)
        if (flight.upload == upload.id) loaded += flight.loaded;
    upload.loaded = loaded;
    upload.best = std::max(upload.best, loaded);
    queue_.recount(upload);
}

void MultipartUploads::fill(Upload& upload) {
    Multipart& mp = *upload.multipart;
    if (upload.state != UploadState::Uploading || mp.phase != MultipartPhase::Parts) return;
    while (mp.first_missing < mp.plan.count && mp.parts[mp.first_missing].state != PartState::Missing)
        ++mp.first_missing;
    const std::uint64_t now = queue_.timers_.now_ms();
    for (std::uint32_t i = mp.first_missing; i < mp.plan.count && queue_.active_ < queue_.options_.concurrency; ++i) {
        Part& part = mp.parts[i];
        if (part.state != PartState::Missing) continue;
        if (part.url.empty() || now >= part.url_until_ms) {
            part.url.clear();  // expired before use: asked for again with the next ones
            request_urls(upload, i);
            return;  // parts go in order: later ones wait for this one's URL
        }
        start_part(upload, i);
    }
}

void MultipartUploads::start_part(Upload& upload, std::uint32_t index) {
    Part& part = upload.multipart->parts[index];
    part.state = PartState::Active;
    ++queue_.active_;
    flights_.emplace_back();
    Flight& flight = flights_.back();
    flight.upload = upload.id;
    flight.part = index;
    flight.last_progress_ms = queue_.timers_.now_ms();
    stall_timer(flight, queue_.options_.retry.stall_timeout_ms);
    if (part.md5.empty())
        start_hashing(flight);
    else
        send_part(flight);  // hashed by an earlier attempt
}

void MultipartUploads::start_hashing(Flight& flight) {
    const Upload& upload = *queue_.find(flight.upload);
    const PartPlan& plan = upload.multipart->plan;
    const std::uint64_t size = plan.size_of(flight.part, upload.spec.file.size);
    if (size == 0) {  // the one part of an empty file
        hashed(flight);
        return;
    }
    flight.reading = static_cast<std::uint32_t>(std::min<std::uint64_t>(size, queue_.options_.hash_chunk_bytes));
    flight.io = next_io();
    reader_.read(flight.io, upload.spec.file, plan.offset_of(flight.part), size, queue_.options_.hash_chunk_bytes);
}

void MultipartUploads::hashed(Flight& flight) {
    const Upload& upload = *queue_.find(flight.upload);
    const Md5::Digest digest = flight.md5.finish();
    upload.multipart->parts[flight.part].md5 = base64_encode(digest.data(), digest.size());
    send_part(flight);
}

void MultipartUploads::on_read(ReadId id, const std::uint8_t* data, std::size_t size) {
    Flight* flight = flight_by_io(id);
    if (flight == nullptr || flight->stage != Stage::Hashing) return;  // stopped meanwhile
    Upload& upload = *queue_.get(flight->upload);
    if (data == nullptr || size != flight->reading) {
        // The file changed or went away since it was chosen (NotReadableError): no retry helps.
        fail_upload(upload, {"FileUnreadable", "", 0, 0});
        return;
    }
    flight->md5.update(data, size);
    flight->hashed += size;
    flight->last_progress_ms = queue_.timers_.now_ms();
    const std::uint64_t rest = upload.multipart->plan.size_of(flight->part, upload.spec.file.size) - flight->hashed;
    if (rest == 0) {
        hashed(*flight);
        return;
    }
    flight->reading = static_cast<std::uint32_t>(std::min<std::uint64_t>(rest, queue_.options_.hash_chunk_bytes));
}

void MultipartUploads::send_part(Flight& flight) {
    Upload& upload = *queue_.get(flight.upload);
    const Multipart& mp = *upload.multipart;
    const Part& part = mp.parts[flight.part];
    HttpRequest request;
    request.method = "PUT";
    request.url = part.url;
    request.headers.push_back({"Content-MD5", part.md5});
    request.body.file = upload.spec.file;
    request.body.file.size = mp.plan.size_of(flight.part, upload.spec.file.size);
    request.body.offset = mp.plan.offset_of(flight.part);
    flight.stage = Stage::Sending;
    flight.loaded = 0;
    flight.last_progress_ms = queue_.timers_.now_ms();
    flight.io = next_io();
    queue_.transport_.send(flight.io, request);
}

void MultipartUploads::on_progress(std::uint32_t id, std::uint64_t sent) {
    Flight* flight = flight_by_io(id);
    if (flight == nullptr || flight->stage != Stage::Sending) return;
    Upload& upload = *queue_.get(flight->upload);
    Part& part = upload.multipart->parts[flight->part];
    flight->loaded = std::min(sent, upload.multipart->plan.size_of(flight->part, upload.spec.file.size));
    flight->last_progress_ms = queue_.timers_.now_ms();
    if (flight->loaded > part.best) {  // further than any attempt of this part: a fresh budget
        part.best = flight->loaded;
        part.failures = 0;
    }
    update_loaded(upload);
    queue_.emit_upload(EventType::UploadProgress, upload);
}

void MultipartUploads::on_response(std::uint32_t id, const HttpResponse& response) {
    Flight* flight = flight_by_io(id);
    if (flight == nullptr || flight->stage != Stage::Sending) return;
    queue_.timers_.cancel(flight->timer);
    flight->timer = 0;
    const std::string etag = response.status == 200 ? queue_.transport_.response_header("etag") : "";
    if (!etag.empty()) {
        part_done(*flight, etag);
    } else if (response.status == 200) {
        // The part is stored but unusable: CompleteMultipartUpload needs its ETag, which the
        // browser hides unless the bucket's CORS rule exposes it.
        fail_upload(*queue_.get(flight->upload), {"BadReply", "no ETag (expose it in the bucket's CORS rule)", 200, 0});
    } else {
        part_response_failed(*flight, response);
    }
}

void MultipartUploads::part_done(Flight& flight, const std::string& etag) {
    Upload& upload = *queue_.get(flight.upload);
    Multipart& mp = *upload.multipart;
    Part& part = mp.parts[flight.part];
    const std::uint32_t number = flight.part + 1;
    part.state = PartState::Done;
    part.etag = etag;
    quote_etag(part.etag);
    part.url.clear();
    part.url.shrink_to_fit();  // 10,000 presigned URLs would be megabytes
    part.failures = 0;
    part.url_renewed = false;
    mp.confirmed += mp.plan.size_of(flight.part, upload.spec.file.size);
    ++mp.done;
    upload.failures = 0;
    --queue_.active_;
    drop_flight(flight);
    update_loaded(upload);
    const UploadId id = upload.id;
    queue_.emit_upload(EventType::PartSucceeded, upload, false, 0, number);
    Upload* still = queue_.get(id);
    if (still == nullptr || still->state != UploadState::Uploading) return;
    queue_.emit_upload(EventType::UploadProgress, *still, mp.done == mp.plan.count);
    if (mp.done == mp.plan.count) {
        mp.phase = MultipartPhase::Complete;
        call_step(*still);
    }
}

void MultipartUploads::part_response_failed(Flight& flight, const HttpResponse& response) {
    Failure failure{response.status == 0 ? FailureKind::Network : FailureKind::Http, response.status, "",
                    queue_.transport_.response_header("retry-after")};
    S3Error s3;
    std::string parse_error;
    if (response.status != 0 && parse_s3_error(response.body, s3, parse_error))
        failure.code = s3.code;
    else
        s3 = S3Error{};
    part_failed(flight, failure, s3,
                describe_failure(failure, s3, parse_error, queue_.options_.retry.stall_timeout_ms));
}

void MultipartUploads::part_failed(Flight& flight, const Failure& failure, const S3Error& s3,
                                   const UploadError& error) {
    Upload& upload = *queue_.get(flight.upload);
    Part& part = upload.multipart->parts[flight.part];
    const std::uint32_t index = flight.part;
    upload.error = error;
    --queue_.active_;
    // S3: 403 AccessDenied "Request has expired": the URL outlived its signature. A new one is
    // asked for once without counting a failure; expiring again is a real problem.
    if (is_policy_expired(s3) && !part.url_renewed) {
        part.url_renewed = true;
        part.url.clear();
        drop_flight(flight);
        set_missing(upload, index);
        update_loaded(upload);
        queue_.emit_upload(EventType::UploadRetry, upload, false, 0, index + 1);
        return;
    }
    std::uint64_t delay = 0;
    const RetryPolicy& retry = queue_.options_.retry;
    if (retry.should_retry(failure) && retry.next_delay(++part.failures, failure, queue_.random_, delay)) {
        part.state = PartState::RetryWaiting;
        flight.stage = Stage::Waiting;
        flight.loaded = 0;
        flight.io = 0;
        stall_timer(flight, delay);  // here: the retry timer
        update_loaded(upload);
        queue_.emit_upload(EventType::UploadRetry, upload, false, delay, index + 1);
        return;
    }
    drop_flight(flight);
    set_missing(upload, index);
    fail_upload(upload, error);
}

void MultipartUploads::on_timer(std::uint32_t id) {
    Flight* flight = flight_by_timer(id);
    if (flight == nullptr) return;
    flight->timer = 0;
    Upload& upload = *queue_.get(flight->upload);
    if (flight->stage == Stage::Waiting) {
        const std::uint32_t index = flight->part;
        drop_flight(*flight);
        set_missing(upload, index);
        return;
    }
    const std::uint64_t idle = queue_.timers_.now_ms() - flight->last_progress_ms;
    const std::uint64_t limit = queue_.options_.retry.stall_timeout_ms;
    if (idle < limit) {
        stall_timer(*flight, limit - idle);
        return;
    }
    if (flight->stage == Stage::Sending) queue_.transport_.abort(flight->io);
    if (flight->stage == Stage::Hashing) reader_.cancel(flight->io);
    const Failure failure{FailureKind::Stalled, 0, "", ""};
    part_failed(*flight, failure, S3Error{}, describe_failure(failure, S3Error{}, "", limit));
}

void MultipartUploads::stop(Upload& upload) {
    for (std::size_t i = flights_.size(); i-- > 0;) {
        const Flight flight = flights_[i];
        if (flight.upload != upload.id) continue;
        if (flight.timer != 0) queue_.timers_.cancel(flight.timer);
        if (flight.stage == Stage::Sending) queue_.transport_.abort(flight.io);
        if (flight.stage == Stage::Hashing && flight.io != 0) reader_.cancel(flight.io);
        if (flight.stage != Stage::Waiting) --queue_.active_;
        flights_.erase(flights_.begin() + static_cast<std::ptrdiff_t>(i));
        set_missing(upload, flight.part);
    }
    update_loaded(upload);
}

}  // namespace s3file
