// What the upload queue asks of its multipart side, as an interface: the queue only holds one
// when UploadQueue::enable_multipart made it. The wasm build that never calls enable_multipart
// (the engine of POST-only pages) then references no multipart code, and link-time optimisation
// drops all of it — MD5, part plans, the part state machine: 7.9 KB gzip of a 20 KB page.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ports.hpp"
#include "upload.hpp"

namespace s3file {

/// Ids of part reads, part requests and part timers have this bit; the queue's own don't.
constexpr std::uint32_t kPartIoBit = 0x80000000u;
inline bool is_part_io(std::uint32_t id) { return (id & kPartIoBit) != 0; }

class MultipartHandler {
public:
    virtual ~MultipartHandler() = default;

    /// True when this upload goes through multipart (endpoint given, size ≥ threshold).
    virtual bool eligible(const Upload& upload) const = 0;
    /// From Queued: the upload's next step (a call, or its parts).
    virtual void start(Upload& upload) = 0;
    /// Starts missing parts while the queue has free slots (asking for URLs first).
    virtual void fill(Upload& upload) = 0;
    /// True while the upload has parts to send and is not paused.
    virtual bool wants_slot(const Upload& upload) const = 0;
    /// Aborts the upload's part requests and reads; stored parts stay, the others are missing.
    virtual void stop(Upload& upload) = 0;
    /// stop(), then AbortMultipartUpload and forget the resume entry.
    virtual void cancel(Upload& upload) = 0;
    /// False while CompleteMultipartUpload runs: every byte is sent, nothing to pause.
    virtual bool can_pause(const Upload& upload) const = 0;

    virtual void on_progress(std::uint32_t id, std::uint64_t sent) = 0;
    virtual void on_response(std::uint32_t id, const HttpResponse& response) = 0;
    virtual void on_timer(std::uint32_t id) = 0;
    virtual void on_read(ReadId id, const std::uint8_t* data, std::size_t size) = 0;

    virtual void on_resume_loaded(CallId call, const ResumeEntry* entry) = 0;
    virtual void on_created(CallId call, const std::string& key, const std::string& upload_id,
                            const std::string& signature) = 0;
    virtual void on_signed(CallId call, const std::vector<SignedPart>& urls, std::uint64_t expires_seconds) = 0;
    virtual void on_listed(CallId call, const std::vector<StoredPart>& parts) = 0;
    virtual void on_completed(CallId call, PostResult result) = 0;
    virtual void on_failed(CallId call, int status, const std::string& code, const std::string& detail) = 0;
};

}  // namespace s3file
