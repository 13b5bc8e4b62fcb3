#include "browser_ports.hpp"

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
    std::string content_type;
    for (const auto& header : request.headers)
        if (header.first == "Content-Type") content_type = header.second;
    s3f_js_send(id, request.method.c_str(), request.url.c_str(), content_type.c_str(),
                request.body.head.c_str(), request.body.file.handle, request.body.has_file ? 1 : 0,
                request.body.tail.c_str());
}

void XhrTransport::abort(RequestId id) { s3f_js_abort(id); }

void BrowserTimers::start(TimerId id, std::uint64_t delay_ms) {
    s3f_js_timer_start(id, static_cast<double>(delay_ms));
}

void BrowserTimers::cancel(TimerId id) { s3f_js_timer_cancel(id); }

std::uint64_t BrowserTimers::now_ms() const { return static_cast<std::uint64_t>(s3f_js_now()); }

std::uint32_t CryptoRandom::next_u32() { return s3f_js_random(); }

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
    s3f_js_event_begin();
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
