// Functions the browser provides to the engine, implemented in browser_ports.js (an
// Emscripten JS library). Strings are UTF-8 and only borrowed for the duration of a call.
#pragma once

#include <cstdint>

extern "C" {
void s3f_js_send(std::uint32_t request, const char* method, const char* url, const char* content_type,
                 const char* head, std::uint32_t file, int has_file, const char* tail);
void s3f_js_abort(std::uint32_t request);
void s3f_js_timer_start(std::uint32_t timer, double delay_ms);
void s3f_js_timer_cancel(std::uint32_t timer);
double s3f_js_now();
std::uint32_t s3f_js_random();
/// Event building: begin, then named values, then dispatch.
void s3f_js_event_begin();
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
