// Functions the browser provides to the engine, implemented in browser_ports.js (an
// Emscripten JS library). Strings are UTF-8 and only borrowed for the duration of a call.
#pragma once

#include <cstdint>

extern "C" {
/// Headers and form fields one call each, then s3f_js_send: a form (`file_field` given) as a
/// FormData of the fields and the file named `filename`, else File.slice(offset, offset + length).
void s3f_js_header(const char* name, const char* value);
void s3f_js_field(const char* name, const char* value);
void s3f_js_send(std::uint32_t request, const char* method, const char* url, std::uint32_t file, double offset,
                 double length, const char* file_field, const char* filename);
void s3f_js_abort(std::uint32_t request);
/// A header of the reply s3f_on_response is delivering (malloc'ed; "" when absent or hidden).
char* s3f_js_response_header(const char* name);
void s3f_js_timer_start(std::uint32_t timer, double delay_ms);
void s3f_js_timer_cancel(std::uint32_t timer);
double s3f_js_now();
double s3f_js_epoch();
/// Blob.slice(offset, offset + length).arrayBuffer() → s3f_read_done(id, malloc'ed bytes, size).
void s3f_js_read(std::uint32_t id, std::uint32_t file, double offset, double length, std::uint32_t chunk);
void s3f_js_read_cancel(std::uint32_t id);
/// Multipart API (Module.s3f.multipart, provided by web/); answers through s3f_mp_* exports.
void s3f_js_mp_create(std::uint32_t call, const char* endpoint, std::uint32_t file, const char* input);
void s3f_js_mp_sign(std::uint32_t call, const char* endpoint, const char* key, const char* upload_id,
                    const char* numbers);
void s3f_js_mp_list(std::uint32_t call, const char* endpoint, const char* key, const char* upload_id);
void s3f_js_mp_complete(std::uint32_t call, const char* endpoint, const char* key, const char* upload_id,
                        const char* parts);
void s3f_js_mp_abort(const char* endpoint, const char* key, const char* upload_id);
/// Resume store (Module.s3f.resume, provided by web/); load answers through s3f_resume_loaded.
void s3f_js_resume_load(std::uint32_t call, const char* fingerprint);
void s3f_js_resume_save(const char* fingerprint, const char* upload_id, const char* key, const char* signature,
                        double part_size, double created);
void s3f_js_resume_remove(const char* fingerprint);
std::uint32_t s3f_js_random();
/// Event building: begin, then named values, then dispatch.
/// 0 when the page listens for no event of `type`: the sink then builds none.
int s3f_js_event_begin(const char* type);
void s3f_js_event_number(const char* name, double value);
void s3f_js_event_string(const char* name, const char* value);
void s3f_js_event_file(const char* name, std::uint32_t file);
/// An error as code + parameters; the page words it. `upload` 0: the event's own error.
void s3f_js_event_error(std::uint32_t upload, std::uint32_t file, const char* input, const char* code,
                        const char* detail, int status, double limit);
void s3f_js_event_dispatch(const char* type);
/// Policy requests: begin, one item per upload, then send.
void s3f_js_policy_item(std::uint32_t upload, std::uint32_t file, const char* input);
void s3f_js_policy_request(std::uint32_t batch);
/// The engine no longer needs this File.
void s3f_js_release(std::uint32_t file);
}
