// Fakes of every engine port: a recording transport, a manual clock, a seeded random source
// and an event recorder. Tests drive time with advance() instead of sleeping.
#pragma once

#include <cstdint>
#include <algorithm>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "core/form_encoding.hpp"
#include "events.hpp"
#include "ports.hpp"
#include "upload_queue.hpp"

namespace s3file::testing {

/// xorshift32: deterministic per seed.
class FakeRandom : public Random {
public:
    explicit FakeRandom(std::uint32_t seed = 1) : state_(seed ? seed : 1) {}
    std::uint32_t next_u32() override {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 17;
        state_ ^= state_ << 5;
        return state_;
    }

private:
    std::uint32_t state_;
};

/// Returns a fixed sequence (cycling), for exact-byte tests.
class SequenceRandom : public Random {
public:
    explicit SequenceRandom(std::vector<std::uint32_t> values) : values_(std::move(values)) {}
    std::uint32_t next_u32() override { return values_[index_++ % values_.size()]; }

private:
    std::vector<std::uint32_t> values_;
    std::size_t index_ = 0;
};

/// Timers fire only when the test advances the clock.
class FakeClock : public Timers {
public:
    void start(TimerId id, std::uint64_t delay_ms) override {
        due_[id] = now_ + delay_ms;
        ++started;
    }
    void cancel(TimerId id) override { due_.erase(id); }
    std::uint64_t now_ms() const override { return now_; }
    /// Wall clock: a fixed epoch plus the manual clock (tests move it with advance()).
    std::uint64_t epoch_ms() const override { return epoch_ + now_; }
    void set_epoch(std::uint64_t epoch) { epoch_ = epoch; }

    void attach(UploadQueue* queue) { queue_ = queue; }
    /// Moves time forward, firing due timers in order of their due time.
    void advance(std::uint64_t ms) {
        const std::uint64_t target = now_ + ms;
        for (;;) {
            TimerId next = 0;
            std::uint64_t when = 0;
            for (const auto& entry : due_)
                if (entry.second <= target && (next == 0 || entry.second < when)) {
                    next = entry.first;
                    when = entry.second;
                }
            if (next == 0) break;
            now_ = when;
            due_.erase(next);
            if (queue_) queue_->on_timer(next);
        }
        now_ = target;
    }
    std::size_t pending() const { return due_.size(); }
    std::size_t started = 0;  ///< timers started so far (each a setTimeout in the browser)
    /// Delay until the earliest pending timer, or 0 when none.
    bool next_due(std::uint64_t& in_ms) const {
        bool any = false;
        for (const auto& entry : due_)
            if (!any || entry.second - now_ < in_ms) {
                in_ms = entry.second - now_;
                any = true;
            }
        return any;
    }

private:
    std::uint64_t now_ = 0;
    std::uint64_t epoch_ = 1790000000000;  // November 2026
    std::map<TimerId, std::uint64_t> due_;
    UploadQueue* queue_ = nullptr;
};

/// Records requests; the test answers them.
class FakeTransport : public Transport {
public:
    struct Sent {
        RequestId id;
        HttpRequest request;
    };
    void send(RequestId id, const HttpRequest& request) override { in_flight.push_back({id, request}); ++sent_count; }
    std::string response_header(const char* name) override {
        ++header_reads;
        for (const auto& header : headers)
            if (header.first == name) return header.second;
        return "";
    }
    Fields headers;                ///< of the response a test delivers (names in lower case)
    std::size_t header_reads = 0;  ///< how often the engine asked for one
    void abort(RequestId id) override {
        aborted.push_back(id);
        for (auto it = in_flight.begin(); it != in_flight.end(); ++it)
            if (it->id == id) {
                in_flight.erase(it);
                break;
            }
    }
    void attach(UploadQueue* queue) { queue_ = queue; }

    /// Takes the oldest in-flight request out (the test then answers it).
    Sent take() {
        Sent sent = in_flight.front();
        in_flight.pop_front();
        return sent;
    }
    void respond(const Sent& sent, int status, const std::string& body = "",
                 const std::string& retry_after = "") {
        headers = {{"retry-after", retry_after}};
        queue_->on_response(sent.id, {status, body});
        headers.clear();
    }
    /// `bytes` of the body sent, as the browser reports them with the body's total.
    void progress(const Sent& sent, std::uint64_t bytes) { queue_->on_progress(sent.id, bytes, body_size(sent)); }
    void fail_network(const Sent& sent) { respond(sent, 0); }

    // The body as a browser sends it: a form encoded with a boundary as long as Chromium's.
    static constexpr const char* kBoundary = "----WebKitFormBoundaryS3fileTests";
    /// Body bytes before the file's (0 for a part: its body is the file alone).
    static std::uint64_t head_size(const Sent& sent) {
        return sent.request.body.is_form() ? form_head(sent.request.body, kBoundary).size() : 0;
    }
    static std::uint64_t body_size(const Sent& sent) {
        const BodyPlan& body = sent.request.body;
        return head_size(sent) + body.file.size + (body.is_form() ? form_tail(kBoundary).size() : 0);
    }
    /// Progress at which the engine counts `bytes` of the file sent (it counts all that is not
    /// file as coming before it).
    void file_progress(const Sent& sent, std::uint64_t bytes) {
        progress(sent, body_size(sent) - sent.request.body.file.size + bytes);
    }
    /// A form field's value as sent, or "<absent>".
    static std::string field(const Sent& sent, const std::string& name) {
        for (const auto& [field, value] : sent.request.body.fields)
            if (field == name) return value;
        return "<absent>";
    }

    std::deque<Sent> in_flight;
    std::vector<RequestId> aborted;
    std::size_t sent_count = 0;

private:
    UploadQueue* queue_ = nullptr;
};

/// What an event said, copied while its pointers were valid.
struct Recorded {
    EventType type;
    BatchId batch = 0;
    UploadId upload = 0;
    std::string input;
    FileProgress file;
    Aggregate input_progress;
    Aggregate batch_progress;
    std::uint32_t attempt = 0;
    std::uint64_t retry_delay_ms = 0;
    PostResult result;
    UploadError error;
    std::vector<std::pair<UploadId, UploadError>> errors;
    std::size_t requests_sent = 0;  ///< requests the transport had been asked for by then
};

class EventLog : public EventSink {
public:
    const FakeTransport* transport = nullptr;  ///< set: each record notes the requests sent so far
    void emit(const Event& event) override {
        Recorded r;
        r.type = event.type;
        r.batch = event.batch;
        r.file = event.file;
        r.input_progress = event.input_progress;
        r.batch_progress = event.batch_progress;
        r.retry_delay_ms = event.retry_delay_ms;
        if (event.upload != nullptr) {
            r.upload = event.upload->id;
            r.input = event.upload->spec.input;
            r.attempt = event.upload->attempts;
            r.result = event.upload->result;
            r.error = event.upload->error;
        }
        for (const Upload* failed : event.failed) r.errors.emplace_back(failed->id, failed->error);
        if (transport != nullptr) r.requests_sent = transport->sent_count;
        events.push_back(r);
    }
    std::vector<Recorded> of(EventType type) const {
        std::vector<Recorded> out;
        for (const auto& e : events)
            if (e.type == type) out.push_back(e);
        return out;
    }
    std::vector<Recorded> events;
};

class FakePolicies : public PolicySource {
public:
    void request_policies(BatchId batch, const std::vector<UploadId>& uploads) override {
        requests.push_back({batch, uploads});
    }
    struct Request {
        BatchId batch;
        std::vector<UploadId> uploads;
    };
    std::vector<Request> requests;
};

/// 201 body as S3 sends it.
inline std::string post_response(const std::string& key, const std::string& etag = "\"abc\"") {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse><Location>http://s3/b/" + key +
           "</Location><Bucket>b</Bucket><Key>" + key + "</Key><ETag>" + etag +
           "</ETag></PostResponse>";
}

inline std::string s3_error(const std::string& code, const std::string& message,
                            const std::string& extra = "") {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" +
           message + "</Message>" + extra + "<RequestId>1</RequestId></Error>";
}

/// A policy like boto3's generate_presigned_post returns.
inline PostPolicy sample_policy(const std::string& folder = "tmp/s3file/abc") {
    PostPolicy policy;
    policy.url = "http://127.0.0.1:8081/bucket";
    policy.fields = {{"key", folder + "/${filename}"},
                     {"success_action_status", "201"},
                     {"x-amz-algorithm", "AWS4-HMAC-SHA256"},
                     {"x-amz-credential", "AKID/20261125/us-east-1/s3/aws4_request"},
                     {"x-amz-date", "20261125T000000Z"},
                     {"policy", "eyJ9"},
                     {"x-amz-signature", "00ff"}};
    return policy;
}

inline UploadSpec spec(const std::string& name, std::uint64_t size, const std::string& input = "file",
                       bool with_policy = true, const std::string& folder = "tmp/s3file/abc") {
    UploadSpec s;
    s.file.name = name;
    s.file.size = size;
    s.file.type = "text/plain";
    s.input = input;
    s.has_policy = with_policy;
    if (with_policy) s.policy = sample_policy(folder);
    return s;
}

/// The deterministic content of every fake file: byte i of file h.
inline std::uint8_t file_byte(std::uint32_t handle, std::uint64_t offset) {
    return static_cast<std::uint8_t>((offset * 2654435761u) >> 13 ^ handle * 77);
}

/// Records chunk reads; the test (or serve_reads) answers them with file_byte() content.
class FakeFileReader : public FileReader {
public:
    /// One streamed slice: [offset, offset + length) in chunks, `delivered` bytes so far.
    struct Read {
        ReadId id;
        std::uint32_t file;
        std::uint64_t offset;
        std::uint64_t length;
        std::uint32_t chunk;
        std::uint64_t delivered = 0;
    };
    void read(ReadId id, const FileRef& file, std::uint64_t offset, std::uint64_t length, std::uint32_t chunk) override {
        pending.push_back({id, file.handle, offset, length, chunk});
    }
    void cancel(ReadId id) override {
        for (auto it = pending.begin(); it != pending.end(); ++it)
            if (it->id == id) {
                pending.erase(it);
                break;
            }
        canceled.push_back(id);
    }
    /// Delivers one chunk of the oldest read (then moved to the back, so reads interleave as
    /// concurrent ones do); false when none is pending.
    bool serve_one(UploadQueue& queue) {
        if (pending.empty()) return false;
        Read read = pending.front();
        pending.pop_front();
        const std::uint64_t size = std::min<std::uint64_t>(read.chunk, read.length - read.delivered);
        std::vector<std::uint8_t> bytes(size);
        for (std::uint64_t i = 0; i < size; ++i) bytes[i] = file_byte(read.file, read.offset + read.delivered + i);
        read.delivered += size;
        if (read.delivered < read.length) pending.push_back(read);
        if (size > largest) largest = static_cast<std::uint32_t>(size);
        queue.on_read(read.id, bytes.data(), bytes.size());  // may cancel or start reads
        return true;
    }
    std::deque<Read> pending;
    std::vector<ReadId> canceled;
    std::uint32_t largest = 0;  ///< the biggest chunk ever delivered
};

/// Records every multipart API call; tests answer through UploadQueue::on_*.
class FakeMultipartApi : public MultipartApi {
public:
    struct Call {
        std::string what;  ///< create, sign, list, complete
        CallId call = 0;
        std::string endpoint;
        MultipartRef ref;
        std::string filename;
        std::vector<std::uint32_t> numbers;
        std::vector<StoredPart> parts;
    };
    void create(CallId call, const std::string& endpoint, const FileRef& file, const std::string&) override {
        calls.push_back({"create", call, endpoint, {}, file.name, {}, {}});
    }
    void sign_parts(CallId call, const MultipartRef& ref, const std::vector<std::uint32_t>& numbers) override {
        calls.push_back({"sign", call, ref.endpoint, ref, "", numbers, {}});
    }
    void list_parts(CallId call, const MultipartRef& ref) override {
        calls.push_back({"list", call, ref.endpoint, ref, "", {}, {}});
    }
    void complete(CallId call, const MultipartRef& ref, const std::vector<StoredPart>& parts) override {
        calls.push_back({"complete", call, ref.endpoint, ref, "", {}, parts});
    }
    void abort(const MultipartRef& ref) override { aborted.push_back(ref); }
    /// Takes the oldest call out (the test then answers it).
    Call take() {
        Call call = calls.front();
        calls.pop_front();
        return call;
    }
    std::deque<Call> calls;
    std::vector<MultipartRef> aborted;
};

class FakeResumeStore : public ResumeStore {
public:
    void load(CallId call, const std::string& fingerprint) override { loads.push_back({call, fingerprint}); }
    void save(const std::string& fingerprint, const ResumeEntry& entry) override { entries[fingerprint] = entry; }
    void remove(const std::string& fingerprint) override { entries.erase(fingerprint); ++removals; }
    std::deque<std::pair<CallId, std::string>> loads;
    std::map<std::string, ResumeEntry> entries;
    int removals = 0;
};

/// A spec that goes through multipart (endpoint given; the size decides against the threshold).
inline UploadSpec multipart_spec(const std::string& name, std::uint64_t size, std::uint32_t handle = 1) {
    UploadSpec s;
    s.file.handle = handle;
    s.file.name = name;
    s.file.size = size;
    s.file.type = "video/mp4";
    s.file.last_modified = 1789000000000;
    s.input = "file";
    s.multipart_endpoint = "/s3/multipart";
    s.multipart_threshold = 8 * 1024 * 1024;  // tests use files of a few parts
    return s;
}

/// Everything a queue test needs, wired together.
struct Rig {
    explicit Rig(QueueOptions options = {}, std::uint32_t seed = 7)
        : random(seed), queue(transport, clock, random, log, &policies, std::move(options)) {
        transport.attach(&queue);
        log.transport = &transport;
        clock.attach(&queue);
        queue.enable_multipart(api, reader, &store);
    }
    /// Delivers every pending read to its end with the file's content; returns how many chunks.
    std::size_t serve_reads() {
        std::size_t served = 0;
        while (reader.serve_one(queue)) ++served;
        return served;
    }
    FakeTransport transport;
    FakeClock clock;
    FakeRandom random;
    EventLog log;
    FakePolicies policies;
    FakeMultipartApi api;
    FakeFileReader reader;
    FakeResumeStore store;
    UploadQueue queue;
};

}  // namespace s3file::testing
