// The upload engine: a FIFO queue with a concurrency limit, retries, stall detection,
// cancel, batches (one form submission each) and progress events. Single-threaded and
// event-driven: calls return at once; I/O results come back through the on_* methods.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "events.hpp"
#include "part_plan.hpp"
#include "ports.hpp"
#include "progress.hpp"
#include "retry_policy.hpp"
#include "upload.hpp"

namespace s3file {

/// HTTP/1.1 connections a browser opens per host; more requests wait in the browser.
constexpr std::uint32_t kBrowserConnectionsPerHost = 6;

struct QueueOptions {
    /// Browsers open at most 6 HTTP/1.1 connections per host; more only queue inside the browser,
    /// where stall timers would fire on requests that never started.
    std::uint32_t concurrency = kBrowserConnectionsPerHost;
    /// Small files handed to the browser beyond `concurrency` while every request in flight is a
    /// small file's: they wait in the browser's own queue and start the moment a connection
    /// frees, not once the page's main thread has handled the last file's events (with many
    /// small files it is busy most of the time). Only with `concurrency` at least 6, the
    /// connections browsers open per host, so a lower limit stays exact. Sixteen, not every
    /// file at once as the seed's script did: a thousand sent in one go held the page's main
    /// thread 0.6-0.9 s with no frame drawn, and under a 50 Mbit/s token bucket made 1,000 x
    /// 4 KiB 0.88 of six in flight, against 1.03 with sixteen ahead; on loopback the two are
    /// within noise (0.98-1.00 of the seed's way either way; README, item 32). A request
    /// waiting there has no progress to tell, so its stall clock runs only while nothing else
    /// on the way moves (sweep_stalls), and its start event waits for its first progress.
    std::uint32_t queue_ahead = 16;
    std::uint64_t small_file_bytes = 256 * 1024;  ///< "small" for queue_ahead
    RetryPolicy retry;
    /// Minimum interval between progress events of one batch; 0 sends every tick.
    std::uint32_t progress_interval_ms = 0;
    /// Files from this size go through multipart when their spec names an endpoint.
    std::uint64_t multipart_threshold = kDefaultMultipartThreshold;
    /// Smallest multipart part (more when a file needs more than 10,000 parts); held within
    /// S3's 5 MiB–5 GiB and rounded up to a whole MiB. See the README's part-size measurements.
    std::uint64_t part_size = kMinPartSize;
    /// Bytes read from the file at a time to hash a part: the most file bytes in memory per
    /// hashing part (a reused buffer in JS, a copy in wasm). 256 KiB read and hash as fast as
    /// 1 MiB (a part is one stream; measured in Chromium) with a quarter of the memory.
    std::uint32_t hash_chunk_bytes = 256 * 1024;
    /// Part URLs asked for per signing call: two rounds of the six connections, so the next
    /// parts have URLs while the current ones are sent, and none waits long enough to expire.
    std::uint32_t part_urls_per_request = 12;
    /// Resume entries older than this start over: 7 days, the AbortIncompleteMultipartUpload
    /// lifecycle rule AWS suggests (the store has removed the parts by then).
    std::uint64_t resume_max_age_ms = 7ull * 24 * 3600 * 1000;
};

class MultipartHandler;
class MultipartUploads;

class UploadQueue {
public:
    UploadQueue(Transport& transport, Timers& timers, Random& random, EventSink& events,
                PolicySource* policies = nullptr, QueueOptions options = {});
    ~UploadQueue();

    /// Lets uploads whose spec names a multipart endpoint use S3 multipart (call once, before
    /// enqueueing); without a store nothing is resumed after a reload.
    void enable_multipart(MultipartApi& api, FileReader& reader, ResumeStore* store = nullptr);

    /// Queues one batch (one form submission); uploads get consecutive ids in `specs` order.
    /// An empty batch succeeds at once.
    BatchId enqueue(std::vector<UploadSpec> specs);
    /// Ids of a batch's uploads in order; empty for an unknown batch.
    std::vector<UploadId> uploads_of(BatchId batch) const;
    /// The upload, or nullptr when unknown (or forgotten).
    const Upload* find(UploadId id) const;
    /// Aggregate over a batch (monotonic), or over one input of it.
    Aggregate batch_progress(BatchId batch) const;
    Aggregate input_progress(BatchId batch, const std::string& input) const;
    /// True once every upload of the batch is terminal.
    bool batch_finished(BatchId batch) const;

    /// Cancels one upload (aborting its request); terminal uploads are left as they are.
    void cancel(UploadId id);
    void cancel_batch(BatchId batch);
    void cancel_all();
    /// Queues the failed and canceled uploads of a finished batch again, attempts reset;
    /// succeeded ones keep their results. Returns how many were requeued.
    std::size_t retry_failed(BatchId batch);
    /// Queues one Failed or Canceled upload again, as retry_failed does; its batch reopens and
    /// reports its end again. False (nothing done) for any other state or an unknown id.
    bool retry(UploadId id);
    /// Drops a finished batch and its uploads from memory.
    void forget(BatchId batch);
    /// Stops one upload, keeping what is stored (its parts; a single POST starts over). False
    /// for terminal or paused uploads and while a multipart upload is being completed.
    bool pause(UploadId id);
    /// Queues a paused upload again; for multipart only the missing parts are sent.
    bool resume(UploadId id);

    // Port callbacks.
    /// Body bytes sent so far of `envelope_total` (0: unknown), as the browser reports them.
    void on_progress(RequestId request, std::uint64_t envelope_bytes_sent, std::uint64_t envelope_total);
    void on_response(RequestId request, const HttpResponse& response);
    void on_timer(TimerId timer);
    void provide_policy(UploadId id, PostPolicy policy);
    /// The policy source failed; `status` is its HTTP status (0 for a network error). An empty
    /// `code` is a PolicyError, retried when transient; a named one (FileTooLarge,
    /// TypeNotAccepted: the file was refused) is final and keeps `limit` (e.g. bytes).
    void fail_policy(UploadId id, int status, const std::string& code, const std::string& detail,
                     std::uint64_t limit = 0);

    // Answers of the multipart ports (enable_multipart), keyed by their call or read id.
    /// `size` must equal the length asked for; anything else (nullptr, short) is a read error.
    void on_read(ReadId id, const std::uint8_t* data, std::size_t size);
    /// `entry` nullptr: nothing stored for the fingerprint.
    void on_resume_loaded(CallId call, const ResumeEntry* entry);
    void on_multipart_created(CallId call, const std::string& key, const std::string& upload_id,
                              const std::string& signature);
    /// `expires_seconds` 0: unknown (assumed short).
    void on_parts_signed(CallId call, const std::vector<SignedPart>& urls, std::uint64_t expires_seconds);
    void on_parts_listed(CallId call, const std::vector<StoredPart>& parts);
    void on_multipart_completed(CallId call, const PostResult& result);
    /// Any multipart call failed: `status` 0 for a network error; `code` as the server named it.
    void on_multipart_failed(CallId call, int status, const std::string& code, const std::string& detail);

    std::uint32_t active_count() const { return active_; }
    /// The id the next enqueue() will return, so callers can listen before events flow.
    BatchId next_batch_id() const { return next_batch_; }
    const QueueOptions& options() const { return options_; }

private:
    friend class MultipartUploads;  // the multipart side drives uploads like the queue does
    /// A batch's uploads have consecutive ids, so a batch is a range of uploads_.
    struct Batch {
        BatchId id = 0;
        UploadId first = 0;
        std::uint32_t count = 0;
        bool finished = false;
        SpeedEstimator speed;
        ProgressThrottle throttle;
        ProgressSum sum;  ///< the batch's progress, kept current by recount()
        std::uint32_t ended = 0;  ///< uploads in a terminal state
    };
    Upload* get(UploadId id) { return const_cast<Upload*>(find(id)); }
    Batch* get_batch(BatchId id) { return const_cast<Batch*>(find_batch(id)); }
    const Batch* find_batch(BatchId id) const;
    /// Index in uploads_ of `id`, or of the first upload after it (uploads_ is sorted by id).
    std::size_t index_of(UploadId id) const;
    /// Index in uploads_ of the batch's first upload (its uploads follow contiguously), or
    /// uploads_.size() for an empty batch.
    std::size_t batch_begin(const Batch& batch) const;
    Aggregate progress_of(BatchId batch, const std::string* input) const;

    /// Brings the batch's and the input's sums up to date after the upload's `best` or state changed.
    void recount(Upload& upload);
    /// Request and timer ids carry the upload id (high bits) and a per-upload counter (low
    /// 8 bits), so a callback finds its upload without a lookup table, and a stale one (an
    /// aborted attempt's, a cancelled timer's) no longer matches `upload.request`/`upload.timer`.
    Upload* owner(std::uint32_t io_id) { return get(io_id >> 8); }
    /// The upload's retry wait (S3 multipart's create retries too).
    void start_timer(Upload& upload, std::uint64_t delay_ms);
    /// One timer watches every single POST in flight for stalls, armed for the earliest
    /// deadline: a timer set and cleared per request was a setTimeout and a clearTimeout per
    /// small file. Its id is below any upload's (upload ids start at 1, in the high bits).
    static constexpr TimerId kStallSweep = 1;
    /// Fails the POSTs without progress for the stall timeout, then waits for the next deadline.
    void sweep_stalls();
    void pump();
    /// Whether a Queued upload may start now: within `concurrency`, or as queue_ahead allows.
    bool has_room(const Upload& upload) const;
    void start(Upload& upload);
    void request_policies(Upload& upload);
    void begin_attempt(Upload& upload);
    /// The start event of an upload that waited in the browser's queue, once it moves; false
    /// when a listener of it ended the request.
    bool started(Upload& upload);
    void assign_key(Upload& upload);
    /// Sets the upload's key and its entry in key_hashes_, hashed here so the two cannot differ.
    void set_key(Upload& upload, const std::string& key);
    Fields request_fields(const Upload& upload) const;
    void clear_io(Upload& upload);
    /// Back to Queued with a fresh retry budget, for retry() and retry_failed().
    void requeue(Upload& upload);
    void set_state(Upload& upload, UploadState state);
    /// The upload may want a slot again: pump() looks at it (FIFO) from now on.
    void mark_waiting(const Upload& upload);
    bool wants_slot(const Upload& upload) const;
    /// Final failure: Failed, its event, and the batch's end when it was the last.
    void fail(Upload& upload, const UploadError& error);
    void succeed(Upload& upload, PostResult result);
    void handle_failure(Upload& upload, const Failure& failure, const UploadError& error);
    void fail_request(Upload& upload, const HttpResponse& response);
    void finish_if_done(BatchId batch);
    void emit_upload(EventType type, const Upload& upload, bool force_progress = false,
                     std::uint64_t retry_delay_ms = 0, std::uint32_t part = 0);

    Transport& transport_;
    Timers& timers_;
    Random& random_;
    EventSink& events_;
    PolicySource* policies_;
    QueueOptions options_;
    std::unique_ptr<MultipartHandler> multipart_;  ///< only after enable_multipart
    /// The multipart side, or nullptr (always in the POST-only build, so its branches fold).
    MultipartHandler* mp() const { return kMultipartBuild ? multipart_.get() : nullptr; }

    // Flat vectors sorted by id (ids only grow): a page holds tens to thousands of uploads,
    // and tree containers cost kilobytes of wasm that every page would download. Uploads are
    // held by pointer so that they never move (listeners may enqueue while we hold one).
    std::vector<std::unique_ptr<Upload>> uploads_;
    /// key_hash_of each upload's sent key, at its index in uploads_ (0 before it has one; stale
    /// once the key is cleared, which only costs a string compare): the same-key check of a
    /// batch reads these in a row instead of every upload's key, string by string.
    std::vector<std::uint32_t> key_hashes_;
    std::vector<Batch> batches_;
    std::size_t queued_from_ = 0;       ///< no Queued upload has an index below this
    std::uint32_t active_ = 0;          ///< uploads in Signing or Uploading
    std::uint32_t active_small_ = 0;    ///< of those, small files' single POSTs
    std::uint32_t posting_ = 0;         ///< single POSTs in flight (upload.request != 0): kStallSweep runs
    std::uint64_t last_activity_ms_ = 0;  ///< the last progress or reply of any POST
    UploadId next_upload_ = 1;
    BatchId next_batch_ = 1;
};

}  // namespace s3file
