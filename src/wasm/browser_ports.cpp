#include "browser_ports.hpp"

#include "exports.hpp"
#include "imports.hpp"

namespace s3file::web {

namespace {

void number(const char* name, double value) { s3f_js_event_number(name, value); }

void aggregate_fields(const char* prefix_loaded, const char* prefix_total, const char* prefix_progress,
                      const Aggregate& a) {
    number(prefix_loaded, static_cast<double>(a.loaded));
    number(prefix_total, static_cast<double>(a.total));
    number(prefix_progress, a.fraction);
}

}  // namespace

void XhrTransport::send(RequestId id, const HttpRequest& request) {
    // One call per header and form field: cheaper in wasm bytes than joining them into one string.
    // Only a part's PUT has headers (Content-MD5): the POST engine neither sends nor imports them.
    if (kMultipartBuild)
        for (const auto& header : request.headers) s3f_js_header(header.first.c_str(), header.second.c_str());
    const BodyPlan& body = request.body;
    for (const auto& field : body.fields) s3f_js_field(field.first.c_str(), field.second.c_str());
    s3f_js_send(id, request.method.data(), request.url.c_str(), body.file.handle, static_cast<double>(body.offset),
                static_cast<double>(body.file.size), body.file_field.c_str(), body.file.name.c_str());
}

void XhrTransport::abort(RequestId id) { s3f_js_abort(id); }

std::string XhrTransport::response_header(const char* name) { return take(s3f_js_response_header(name)); }

void BrowserTimers::start(TimerId id, std::uint64_t delay_ms) {
    s3f_js_timer_start(id, static_cast<double>(delay_ms));
}

void BrowserTimers::cancel(TimerId id) { s3f_js_timer_cancel(id); }

std::uint64_t BrowserTimers::now_ms() const { return static_cast<std::uint64_t>(s3f_js_now()); }

#if !defined(S3FILE_MULTIPART) || S3FILE_MULTIPART
std::uint64_t BrowserTimers::epoch_ms() const { return static_cast<std::uint64_t>(s3f_js_epoch()); }
#endif

std::uint32_t CryptoRandom::next_u32() { return s3f_js_random(); }

void BlobReader::read(ReadId id, const FileRef& file, std::uint64_t offset, std::uint64_t length, std::uint32_t chunk) {
    s3f_js_read(id, file.handle, static_cast<double>(offset), static_cast<double>(length), chunk);
}

void BlobReader::cancel(ReadId id) { s3f_js_read_cancel(id); }

void CallbackMultipartApi::create(CallId call, const std::string& endpoint, const FileRef& file,
                                  const std::string& input) {
    s3f_js_mp_create(call, endpoint.c_str(), file.handle, input.c_str());
}

void CallbackMultipartApi::sign_parts(CallId call, const MultipartRef& ref, const std::vector<std::uint32_t>& numbers) {
    std::string list;  // "1,2,3": Companion's partNumbers query value
    for (std::uint32_t n : numbers) list += (list.empty() ? "" : ",") + std::to_string(n);
    s3f_js_mp_sign(call, ref.endpoint.c_str(), ref.key.c_str(), ref.upload_id.c_str(), list.c_str());
}

void CallbackMultipartApi::list_parts(CallId call, const MultipartRef& ref) {
    s3f_js_mp_list(call, ref.endpoint.c_str(), ref.key.c_str(), ref.upload_id.c_str());
}

void CallbackMultipartApi::complete(CallId call, const MultipartRef& ref, const std::vector<StoredPart>& parts) {
    std::string list;  // "number etag\n" per part, ascending
    for (const StoredPart& part : parts) list += std::to_string(part.number) + ' ' + part.etag + '\n';
    s3f_js_mp_complete(call, ref.endpoint.c_str(), ref.key.c_str(), ref.upload_id.c_str(), list.c_str());
}

void CallbackMultipartApi::abort(const MultipartRef& ref) {
    s3f_js_mp_abort(ref.endpoint.c_str(), ref.key.c_str(), ref.upload_id.c_str());
}

void CallbackResumeStore::load(CallId call, const std::string& fingerprint) {
    s3f_js_resume_load(call, fingerprint.c_str());
}

void CallbackResumeStore::save(const std::string& fingerprint, const ResumeEntry& entry) {
    s3f_js_resume_save(fingerprint.c_str(), entry.upload_id.c_str(), entry.key.c_str(), entry.signature.c_str(),
                       static_cast<double>(entry.part_size), static_cast<double>(entry.created_ms));
}

void CallbackResumeStore::remove(const std::string& fingerprint) { s3f_js_resume_remove(fingerprint.c_str()); }

void error_item(const Upload& upload, bool in_list) {
    const UploadError& error = upload.error;
    s3f_js_event_error(in_list ? upload.id : 0, upload.spec.file.handle, upload.spec.input.c_str(),
                       error.code.c_str(), error.detail.c_str(), error.status,
                       static_cast<double>(error.limit));
}

// detail: batch; form{Loaded,Total,Progress}; per upload: upload, input, file, state, key,
// loaded/total/progress of the file, input{Loaded,Total,Progress}, attempt, speed, eta;
// error on failures; errors[] on a failed batch.
void DomEventSink::emit(const Event& event) {
    // Built only for a type someone listens for: upload() without onProgress hears no start or
    // progress events, which were half the events of a thousand small files.
    if (s3f_js_event_begin(event_name(event.type)) == 0) return;
    number("batch", event.batch);
    aggregate_fields("formLoaded", "formTotal", "formProgress", event.batch_progress);
    if (const Upload* upload = event.upload) {
        number("upload", upload->id);
        s3f_js_event_string("input", upload->spec.input.c_str());
        s3f_js_event_file("file", upload->spec.file.handle);
        s3f_js_event_string("state", state_name(upload->state));
        s3f_js_event_string("key", (upload->result.key.empty() ? upload->sent_key : upload->result.key).c_str());
        aggregate_fields("loaded", "total", "progress",
                         {event.file.loaded, event.file.total, file_fraction(event.file)});
        aggregate_fields("inputLoaded", "inputTotal", "inputProgress", event.input_progress);
        number("attempt", upload->attempts);
        number("bytesPerSecond", event.bytes_per_second);
        number("etaSeconds", event.eta_seconds);
        if (event.type == EventType::UploadRetry) number("retryDelay", static_cast<double>(event.retry_delay_ms));
        if (event.type == EventType::UploadSucceeded) {
            s3f_js_event_string("etag", upload->result.etag.c_str());
            s3f_js_event_string("location", upload->result.location.c_str());
            if (parts_of(*upload)) s3f_js_event_string("signature", upload->multipart->signature.c_str());
        }
        // Part details exist only in the multipart engine (kMultipartBuild folds them away).
        if (kMultipartBuild && event.part != 0) number("part", event.part);
        if (kMultipartBuild && event.part_etag != nullptr) {
            number("partSize", static_cast<double>(event.part_size));
            s3f_js_event_string("etag", event.part_etag->c_str());
        }
        if (!upload->error.code.empty()) error_item(*upload, false);
    }
    for (const Upload* failed : event.failed) error_item(*failed, true);
    s3f_js_event_dispatch(event_name(event.type));
}

void CallbackPolicySource::request_policies(BatchId batch, const std::vector<UploadId>& uploads) {
    for (UploadId id : uploads) {
        const Upload* upload = queue_->find(id);
        if (upload != nullptr) s3f_js_policy_item(id, upload->spec.file.handle, upload->spec.input.c_str());
    }
    s3f_js_policy_request(batch);
}

}  // namespace s3file::web
