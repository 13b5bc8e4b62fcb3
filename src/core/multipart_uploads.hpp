// The multipart side of the upload queue: parts are requests in the queue's one FIFO with its
// one concurrency limit; each part is hashed (Content-MD5), sent, retried and stall-checked on
// its own. The steps of an upload (resume lookup, create, list, sign, complete) go through the
// MultipartApi and ResumeStore ports; UploadQueue forwards their answers here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "md5.hpp"
#include "multipart_handler.hpp"
#include "ports.hpp"
#include "retry_policy.hpp"
#include "upload.hpp"

namespace s3file {

class UploadQueue;

class MultipartUploads final : public MultipartHandler {
public:
    MultipartUploads(UploadQueue& queue, MultipartApi& api, FileReader& reader, ResumeStore* store)
        : queue_(queue), api_(api), reader_(reader), store_(store) {}

    bool eligible(const Upload& upload) const override;
    void start(Upload& upload) override;
    void fill(Upload& upload) override;
    bool wants_slot(const Upload& upload) const override;
    void stop(Upload& upload) override;
    void cancel(Upload& upload) override;
    bool can_pause(const Upload& upload) const override;

    void on_progress(std::uint32_t id, std::uint64_t sent) override;
    void on_response(std::uint32_t id, const HttpResponse& response) override;
    void on_timer(std::uint32_t id) override;
    void on_read(ReadId id, const std::uint8_t* data, std::size_t size) override;

    void on_resume_loaded(CallId call, const ResumeEntry* entry) override;
    void on_created(CallId call, const std::string& key, const std::string& upload_id,
                    const std::string& signature) override;
    void on_signed(CallId call, const std::vector<SignedPart>& urls, std::uint64_t expires_seconds) override;
    void on_listed(CallId call, const std::vector<StoredPart>& parts) override;
    void on_completed(CallId call, PostResult result) override;
    void on_failed(CallId call, int status, const std::string& code, const std::string& detail) override;

private:
    enum class Stage : std::uint8_t { Hashing, Sending, Waiting };
    /// One part being hashed, sent, or waiting to be retried (a few at a time: ≤ the slots
    /// plus the parts in their retry delay), so a flat vector searched by id.
    struct Flight {
        std::uint32_t io = 0;      ///< the read or request in progress
        TimerId timer = 0;         ///< stall timer (Hashing, Sending) or retry timer (Waiting)
        UploadId upload = 0;
        std::uint32_t part = 0;    ///< index into Multipart::parts
        Stage stage = Stage::Hashing;
        std::uint64_t hashed = 0;  ///< bytes of the part hashed so far
        std::uint32_t reading = 0; ///< length of the chunk expected next
        std::uint64_t loaded = 0;  ///< bytes of the part sent in this attempt
        std::uint64_t last_progress_ms = 0;
        Md5 md5;
    };

    std::uint32_t next_io() { return kPartIoBit | (++io_counter_ & ~kPartIoBit); }
    Flight* flight_by_io(std::uint32_t io);
    Flight* flight_by_timer(TimerId timer);
    void drop_flight(const Flight& flight);
    Upload* call_owner(CallId call);
    CallId next_call(Upload& upload);
    void call_step(Upload& upload);
    void continue_after_answer(Upload& upload);
    void enter_parts(Upload& upload);
    void request_urls(Upload& upload, std::uint32_t from);
    void start_part(Upload& upload, std::uint32_t index);
    void start_hashing(Flight& flight);
    void hashed(Flight& flight);
    void send_part(Flight& flight);
    void part_done(Flight& flight, const std::string& etag);
    void part_failed(Flight& flight, const Failure& failure, const S3Error& s3, const UploadError& error);
    void part_response_failed(Flight& flight, const HttpResponse& response);
    void fail_upload(Upload& upload, const UploadError& error);
    void update_loaded(Upload& upload);
    void set_missing(Upload& upload, std::uint32_t index);
    void save_entry(const Upload& upload);
    std::uint32_t stall_timer(Flight& flight, std::uint64_t delay_ms);

    UploadQueue& queue_;
    MultipartApi& api_;
    FileReader& reader_;
    ResumeStore* store_;
    std::vector<Flight> flights_;
    std::uint32_t io_counter_ = 0;
};

/// The resume store's key for a file: name, size, lastModified and endpoint.
std::string resume_fingerprint(const UploadSpec& spec);

}  // namespace s3file
