// Multipart uploads in the queue, driven through the fake ports: steps, parts in the shared
// FIFO, Content-MD5, per-part retries, URL expiry, pause/resume, cancel and resume after reload.
#include <catch2/catch.hpp>

#include <map>

#include "core/fakes.hpp"
#include "md5.hpp"
#include "multipart_uploads.hpp"

using namespace s3file;
using namespace s3file::testing;

namespace {

constexpr std::uint64_t MiB = 1024 * 1024;

std::string header(const HttpRequest& request, const std::string& name) {
    for (const auto& h : request.headers)
        if (h.first == name) return h.second;
    return "<absent>";
}

// Content-MD5 of bytes [offset, offset + size) of fake file `handle`, computed independently.
std::string expected_md5(std::uint32_t handle, std::uint64_t offset, std::uint64_t size) {
    Md5 md5;
    std::vector<std::uint8_t> bytes(size);
    for (std::uint64_t i = 0; i < size; ++i) bytes[i] = file_byte(handle, offset + i);
    md5.update(bytes.data(), bytes.size());
    const auto digest = md5.finish();
    return base64_encode(digest.data(), digest.size());
}

// Answers the resume lookup (nothing stored) and the create call.
void answer_create(Rig& rig, const std::string& key = "tmp/s3file/f1/big.mp4", const std::string& id = "UP1") {
    REQUIRE(rig.store.loads.size() == 1);
    const CallId load = rig.store.loads.front().first;
    rig.store.loads.pop_front();
    rig.queue.on_resume_loaded(load, nullptr);
    REQUIRE(rig.api.calls.size() == 1);
    const auto create = rig.api.take();
    REQUIRE(create.what == "create");
    rig.queue.on_multipart_created(create.call, key, id, "sig-f1");
}

// Answers the oldest sign call with one URL per asked part number.
std::vector<std::uint32_t> answer_sign(Rig& rig, std::uint64_t expires = 900) {
    REQUIRE_FALSE(rig.api.calls.empty());
    const auto sign = rig.api.take();
    REQUIRE(sign.what == "sign");
    std::vector<SignedPart> urls;
    for (auto n : sign.numbers) urls.push_back({n, "http://s3/b/k?partNumber=" + std::to_string(n) + "&sig=x"});
    rig.queue.on_parts_signed(sign.call, urls, expires);
    return sign.numbers;
}

std::uint32_t part_number(const FakeTransport::Sent& sent) {
    const auto at = sent.request.url.find("partNumber=");
    return static_cast<std::uint32_t>(std::stoul(sent.request.url.substr(at + 11)));
}

// Takes the in-flight PUT of part `number` out of the transport.
FakeTransport::Sent take_part(Rig& rig, std::uint32_t number) {
    for (auto it = rig.transport.in_flight.begin(); it != rig.transport.in_flight.end(); ++it)
        if (it->request.method == "PUT" && part_number(*it) == number) {
            auto sent = *it;
            rig.transport.in_flight.erase(it);
            return sent;
        }
    FAIL("part " << number << " is not in flight");
    return {};
}

void respond_part(Rig& rig, const FakeTransport::Sent& sent, int status = 200, const std::string& body = "") {
    if (status == 200) rig.transport.headers = {{"etag", "\"etag-" + std::to_string(part_number(sent)) + "\""}};
    rig.queue.on_response(sent.id, {status, body});
    rig.transport.headers.clear();
}

std::vector<std::uint32_t> parts_in_flight(const Rig& rig) {
    std::vector<std::uint32_t> out;
    for (const auto& sent : rig.transport.in_flight)
        if (sent.request.method == "PUT") out.push_back(part_number(sent));
    return out;
}

}  // namespace

TEST_CASE("a large file: create, signed parts with Content-MD5, complete with ascending ETags") {
    Rig rig;
    const std::uint64_t size = 20 * MiB;  // 8 + 8 + 4 MiB
    const BatchId batch = rig.queue.enqueue({multipart_spec("big.mp4", size, 3)});
    CHECK(rig.policies.requests.empty());  // multipart needs no POST policy
    CHECK(rig.store.loads.front().second == resume_fingerprint(multipart_spec("big.mp4", size, 3)));
    CHECK(rig.queue.find(1)->state == UploadState::Signing);
    answer_create(rig);
    // The entry is kept for a resume after reload as soon as the upload exists.
    REQUIRE(rig.store.entries.size() == 1);
    CHECK(rig.store.entries.begin()->second.upload_id == "UP1");
    CHECK(rig.store.entries.begin()->second.part_size == 8 * MiB);
    CHECK(rig.store.entries.begin()->second.signature == "sig-f1");
    CHECK(answer_sign(rig) == std::vector<std::uint32_t>{1, 2, 3});
    CHECK(rig.transport.in_flight.empty());  // hashing first
    rig.serve_reads();
    CHECK(rig.reader.largest <= 256 * 1024);
    REQUIRE(rig.transport.in_flight.size() == 3);
    CHECK(parts_in_flight(rig) == std::vector<std::uint32_t>{3, 1, 2});  // as their hashes end
    for (std::uint32_t n = 1; n <= 3; ++n) {
        const auto sent = take_part(rig, n);
        rig.transport.in_flight.push_back(sent);
        CHECK(sent.request.method == "PUT");
        CHECK(sent.request.body.offset == (n - 1) * 8 * MiB);
        CHECK(sent.request.body.file.size == (n < 3 ? 8 * MiB : 4 * MiB));
        CHECK_FALSE(sent.request.body.is_form());  // the slice alone
        CHECK(sent.request.body.fields.empty());
        CHECK(header(sent.request, "Content-MD5") == expected_md5(3, (n - 1) * 8 * MiB, sent.request.body.file.size));
    }
    // Out of order: 3, then 1, then 2.
    for (std::uint32_t n : {3u, 1u, 2u}) respond_part(rig, take_part(rig, n));
    const auto parts = rig.log.of(EventType::PartSucceeded);
    REQUIRE(parts.size() == 3);
    REQUIRE(rig.api.calls.size() == 1);
    const auto complete = rig.api.take();
    CHECK(complete.what == "complete");
    CHECK(complete.ref.upload_id == "UP1");
    CHECK(complete.ref.key == "tmp/s3file/f1/big.mp4");
    REQUIRE(complete.parts.size() == 3);
    for (std::uint32_t n = 1; n <= 3; ++n) {
        CHECK(complete.parts[n - 1].number == n);
        CHECK(complete.parts[n - 1].etag == "\"etag-" + std::to_string(n) + "\"");
    }
    CHECK(rig.queue.find(1)->state == UploadState::Uploading);
    rig.queue.on_multipart_completed(complete.call, {"", "", "http://s3/b/tmp/s3file/f1/big.mp4", "b"});
    const Upload* upload = rig.queue.find(1);
    CHECK(upload->state == UploadState::Succeeded);
    CHECK(upload->result.key == "tmp/s3file/f1/big.mp4");
    CHECK(rig.store.entries.empty());  // nothing left to resume
    CHECK(rig.log.of(EventType::BatchSucceeded).size() == 1);
    CHECK(rig.queue.batch_progress(batch).fraction == 1.0);
    CHECK(rig.queue.active_count() == 0);
    CHECK(rig.clock.pending() == 0);
}

TEST_CASE("part events name the part, its size and its ETag") {
    Rig rig;
    rig.queue.enqueue({multipart_spec("big.mp4", 9 * MiB)});
    answer_create(rig);
    answer_sign(rig);
    rig.serve_reads();
    respond_part(rig, take_part(rig, 2));
    struct Capture : EventSink {
        std::uint32_t part = 0;
        std::uint64_t size = 0;
        std::string etag;
        void emit(const Event& e) override {
            if (e.type != EventType::PartSucceeded) return;
            part = e.part;
            size = e.part_size;
            etag = *e.part_etag;
        }
    };
    // The recorded event type and order; the detail is checked through a direct sink below.
    CHECK(rig.log.of(EventType::PartSucceeded).size() == 1);
    CHECK(std::string(event_name(EventType::PartSucceeded)) == "s3file:part");
    CHECK(std::string(event_name(EventType::UploadPaused)) == "s3file:pause");
    CHECK(std::string(event_name(EventType::UploadResumed)) == "s3file:resume");
    CHECK(std::string(state_name(UploadState::Paused)) == "paused");
    FakeTransport transport;
    FakeClock clock;
    FakeRandom random;
    Capture capture;
    FakeMultipartApi api;
    FakeFileReader reader;
    UploadQueue queue(transport, clock, random, capture, nullptr);
    transport.attach(&queue);
    queue.enable_multipart(api, reader);  // no store: straight to create
    queue.enqueue({multipart_spec("big.mp4", 9 * MiB)});
    REQUIRE(api.calls.size() == 1);
    queue.on_multipart_created(api.take().call, "k/big.mp4", "UP", "s");
    auto sign = api.take();
    queue.on_parts_signed(sign.call, {{1, "http://s3/1?partNumber=1"}, {2, "http://s3/2?partNumber=2"}}, 0);
    while (reader.serve_one(queue)) {
    }
    REQUIRE(transport.in_flight.size() == 2);
    transport.headers = {{"etag", "0123"}};  // unquoted (RGW style): quoted as S3 does
    const auto part2 = part_number(transport.in_flight[0]) == 2 ? transport.in_flight[0] : transport.in_flight[1];
    queue.on_response(part2.id, {200, ""});
    CHECK(capture.part == 2);
    CHECK(capture.size == 1 * MiB);
    CHECK(capture.etag == "\"0123\"");
}

TEST_CASE("below the threshold, or without an endpoint, a file is one POST; the threshold is per upload") {
    Rig rig;
    UploadSpec small = multipart_spec("small.bin", 1 * MiB);
    small.has_policy = true;
    small.policy = sample_policy();
    UploadSpec lowered = multipart_spec("mid.bin", 9 * MiB, 2);
    lowered.multipart_threshold = 9 * MiB;
    rig.queue.enqueue({small, lowered});
    REQUIRE(rig.transport.in_flight.size() == 1);
    CHECK(rig.transport.in_flight[0].request.method == "POST");
    CHECK(rig.store.loads.size() == 1);  // the second goes multipart
    QueueOptions options;
    options.multipart_threshold = 200 * MiB;
    Rig high(options);
    UploadSpec big = multipart_spec("big.bin", 150 * MiB);
    big.multipart_threshold = 0;  // the queue's
    big.has_policy = true;
    big.policy = sample_policy();
    high.queue.enqueue({big});
    CHECK(high.store.loads.empty());
    CHECK(high.transport.in_flight.size() == 1);
}

TEST_CASE("parts share the one concurrency limit with whole-file POSTs, FIFO across files") {
    QueueOptions options;
    options.concurrency = 2;
    Rig rig(options);
    UploadSpec post = spec("after.txt", 10);
    rig.queue.enqueue({multipart_spec("big.mp4", 32 * MiB), post});  // 4 parts, then a POST
    answer_create(rig);
    // While big.mp4 was being created it held one slot; the POST took the other.
    REQUIRE(rig.transport.in_flight.size() == 1);
    CHECK(rig.transport.in_flight[0].request.method == "POST");
    answer_sign(rig);
    rig.serve_reads();
    CHECK(parts_in_flight(rig) == std::vector<std::uint32_t>{1});
    rig.transport.respond(rig.transport.take(), 201, post_response("tmp/s3file/abc/after.txt"));
    rig.serve_reads();
    CHECK(parts_in_flight(rig) == std::vector<std::uint32_t>{1, 2});
    CHECK(rig.queue.active_count() == 2);
    respond_part(rig, take_part(rig, 2));
    rig.serve_reads();
    CHECK(parts_in_flight(rig) == std::vector<std::uint32_t>{1, 3});
    respond_part(rig, take_part(rig, 1));
    rig.serve_reads();
    CHECK(parts_in_flight(rig) == std::vector<std::uint32_t>{3, 4});
}

TEST_CASE("a later file waits behind every part of an earlier one") {
    QueueOptions options;
    options.concurrency = 2;
    Rig rig(options);
    rig.queue.enqueue({multipart_spec("big.mp4", 24 * MiB)});  // 3 parts
    answer_create(rig);
    answer_sign(rig);
    rig.serve_reads();
    rig.queue.enqueue({spec("later.txt", 10)});
    CHECK(rig.transport.in_flight.size() == 2);  // parts 1 and 2; the POST waits
    respond_part(rig, take_part(rig, 1));
    rig.serve_reads();
    CHECK(parts_in_flight(rig) == std::vector<std::uint32_t>{2, 3});
    respond_part(rig, take_part(rig, 2));
    REQUIRE(rig.transport.in_flight.size() == 2);
    CHECK(rig.transport.in_flight.back().request.method == "POST");
}

TEST_CASE("one part failing repeatedly is retried on its own while the others succeed") {
    Rig rig;
    rig.queue.enqueue({multipart_spec("big.mp4", 24 * MiB)});
    answer_create(rig);
    answer_sign(rig);
    rig.serve_reads();
    std::map<std::uint32_t, int> puts;
    for (const auto& sent : rig.transport.in_flight) ++puts[part_number(sent)];
    respond_part(rig, take_part(rig, 1));
    respond_part(rig, take_part(rig, 3));
    for (int failure = 1; failure <= 4; ++failure) {
        rig.transport.fail_network(take_part(rig, 2));
        CHECK(rig.queue.find(1)->state == UploadState::Uploading);
        rig.clock.advance(6000);
        rig.serve_reads();  // none: the hash is kept across attempts
        REQUIRE(parts_in_flight(rig) == std::vector<std::uint32_t>{2});
        ++puts[2];
    }
    const auto retries = rig.log.of(EventType::UploadRetry);
    CHECK(retries.size() == 4);
    respond_part(rig, take_part(rig, 2));
    CHECK(puts[1] == 1);
    CHECK(puts[2] == 5);
    CHECK(puts[3] == 1);
    CHECK(rig.api.take().what == "complete");
}

TEST_CASE("a part that exhausts its retries fails the file, which keeps its stored parts") {
    Rig rig;
    const BatchId batch = rig.queue.enqueue({multipart_spec("big.mp4", 24 * MiB)});
    answer_create(rig);
    answer_sign(rig);
    rig.serve_reads();
    respond_part(rig, take_part(rig, 1));
    for (int failure = 1; failure <= 5; ++failure) {
        rig.transport.respond(take_part(rig, 2), 503, s3_error("SlowDown", "slow"));
        rig.clock.advance(7000);
    }
    const Upload* upload = rig.queue.find(1);
    CHECK(upload->state == UploadState::Failed);
    CHECK(upload->error.code == "SlowDown");
    CHECK(rig.transport.aborted.size() == 1);  // part 3, still in flight
    CHECK(rig.api.aborted.empty());            // the upload stays: it can be resumed
    CHECK(rig.store.entries.size() == 1);
    CHECK(rig.queue.active_count() == 0);
    CHECK(rig.log.of(EventType::BatchFailed).size() == 1);
    // Retry sends only what is missing: parts 2 and 3.
    CHECK(rig.queue.retry(1));
    rig.serve_reads();
    CHECK(parts_in_flight(rig) == std::vector<std::uint32_t>{2, 3});
    respond_part(rig, take_part(rig, 2));
    respond_part(rig, take_part(rig, 3));
    CHECK(rig.api.take().what == "complete");
    CHECK(rig.queue.batch_progress(batch).loaded == 24 * MiB);
}

TEST_CASE("part URLs are asked for in batches just before use, and again once expired") {
    QueueOptions options;
    options.concurrency = 1;
    options.part_urls_per_request = 2;
    Rig rig(options);
    rig.queue.enqueue({multipart_spec("big.mp4", 32 * MiB)});  // 4 parts
    answer_create(rig);
    CHECK(answer_sign(rig, 600) == std::vector<std::uint32_t>{1, 2});
    rig.serve_reads();
    respond_part(rig, take_part(rig, 1));
    rig.serve_reads();
    CHECK(rig.api.calls.empty());  // part 2 had its URL
    // Part 2 takes long (progress keeps it from stalling), so long that part 3's batch...
    auto part2 = take_part(rig, 2);
    respond_part(rig, part2);
    REQUIRE(rig.api.calls.size() == 1);
    CHECK(answer_sign(rig, 600) == std::vector<std::uint32_t>{3, 4});
    rig.serve_reads();
    auto part3 = take_part(rig, 3);
    for (int i = 1; i <= 30; ++i) {  // 600 s of a slow part 3
        rig.clock.advance(20000);
        rig.transport.progress(part3, static_cast<std::uint64_t>(i) * 200000);
    }
    respond_part(rig, part3);
    // ...part 4's URL is within 30 s of expiring: asked for again before it is used.
    REQUIRE(rig.api.calls.size() == 1);
    CHECK(answer_sign(rig) == std::vector<std::uint32_t>{4});
    rig.serve_reads();
    CHECK(parts_in_flight(rig) == std::vector<std::uint32_t>{4});
}

TEST_CASE("S3's 403 'Request has expired' signs the part again without counting a failure") {
    Rig rig;
    rig.queue.enqueue({multipart_spec("big.mp4", 9 * MiB)});
    answer_create(rig);
    answer_sign(rig);
    rig.serve_reads();
    respond_part(rig, take_part(rig, 1));
    rig.transport.respond(take_part(rig, 2), 403, s3_error("AccessDenied", "Request has expired"));
    REQUIRE(rig.api.calls.size() == 1);
    CHECK(answer_sign(rig) == std::vector<std::uint32_t>{2});
    REQUIRE(parts_in_flight(rig) == std::vector<std::uint32_t>{2});
    // Expiring again right away is a verdict, not a retry.
    rig.transport.respond(take_part(rig, 2), 403, s3_error("AccessDenied", "Request has expired"));
    CHECK(rig.queue.find(1)->state == UploadState::Failed);
    CHECK(rig.queue.find(1)->error.code == "PolicyExpired");
}

TEST_CASE("pause aborts the file's part requests and keeps its stored parts; resume sends the rest") {
    Rig rig;
    const BatchId batch = rig.queue.enqueue({multipart_spec("big.mp4", 32 * MiB)});
    answer_create(rig);
    answer_sign(rig);
    rig.serve_reads();
    respond_part(rig, take_part(rig, 1));
    auto part2 = rig.transport.in_flight.front();
    rig.transport.progress(part2, 4 * MiB);
    const auto before = rig.queue.batch_progress(batch).loaded;
    CHECK(before == 12 * MiB);
    REQUIRE(rig.queue.pause(1));
    CHECK(rig.queue.find(1)->state == UploadState::Paused);
    CHECK(rig.transport.in_flight.empty());
    CHECK(rig.transport.aborted.size() == 3);
    CHECK(rig.queue.active_count() == 0);
    CHECK(rig.clock.pending() == 0);
    CHECK(rig.queue.batch_progress(batch).loaded == before);  // never backwards
    CHECK(rig.log.of(EventType::UploadPaused).size() == 1);
    CHECK_FALSE(rig.queue.pause(1));
    CHECK_FALSE(rig.queue.batch_finished(batch));
    rig.clock.advance(100000);
    CHECK(rig.transport.in_flight.empty());
    REQUIRE(rig.queue.resume(1));
    CHECK(rig.log.of(EventType::UploadResumed).size() == 1);
    CHECK(rig.reader.pending.empty());  // the hashes were kept
    CHECK(parts_in_flight(rig) == std::vector<std::uint32_t>{2, 3, 4});
    for (std::uint32_t n : {2u, 3u, 4u}) respond_part(rig, take_part(rig, n));
    CHECK(rig.api.take().what == "complete");
}

TEST_CASE("a paused single POST starts over on resume; a paused file lets the next one start") {
    QueueOptions options;
    options.concurrency = 1;
    Rig rig(options);
    rig.queue.enqueue({spec("a", 100), spec("b", 100)});
    auto first = rig.transport.take();
    rig.transport.in_flight.push_back(first);
    REQUIRE(rig.queue.pause(1));
    REQUIRE(rig.transport.in_flight.size() == 1);
    CHECK(rig.transport.in_flight[0].request.body.file.name == "b");
    rig.transport.respond(rig.transport.take(), 201, post_response("tmp/s3file/abc/b"));
    REQUIRE(rig.queue.resume(1));
    REQUIRE(rig.transport.in_flight.size() == 1);
    CHECK(rig.transport.in_flight[0].request.body.file.name == "a");
    CHECK(rig.queue.find(1)->attempts == 2);
}

TEST_CASE("cancel aborts the multipart upload at S3 and forgets its resume entry") {
    Rig rig;
    rig.queue.enqueue({multipart_spec("big.mp4", 24 * MiB)});
    answer_create(rig);
    answer_sign(rig);
    rig.serve_reads();
    respond_part(rig, take_part(rig, 1));
    rig.queue.cancel(1);
    CHECK(rig.queue.find(1)->state == UploadState::Canceled);
    REQUIRE(rig.api.aborted.size() == 1);
    CHECK(rig.api.aborted[0].upload_id == "UP1");
    CHECK(rig.api.aborted[0].key == "tmp/s3file/f1/big.mp4");
    CHECK(rig.transport.in_flight.empty());
    CHECK(rig.store.entries.empty());
    CHECK(rig.queue.active_count() == 0);
    CHECK(rig.clock.pending() == 0);
}

TEST_CASE("an upload canceled while it is being created is aborted when the create answers") {
    Rig rig;
    rig.queue.enqueue({multipart_spec("big.mp4", 24 * MiB)});
    rig.queue.on_resume_loaded(rig.store.loads.front().first, nullptr);
    const auto create = rig.api.take();
    rig.queue.cancel(1);
    CHECK(rig.api.aborted.empty());
    rig.queue.on_multipart_created(create.call, "k", "UP9", "s");
    REQUIRE(rig.api.aborted.size() == 1);
    CHECK(rig.api.aborted[0].upload_id == "UP9");
    CHECK(rig.api.calls.empty());
}

TEST_CASE("a stored entry resumes: the stored parts are listed and only the missing ones sent") {
    Rig rig;
    const UploadSpec s = multipart_spec("big.mp4", 40 * MiB);  // 5 parts of 8 MiB
    const BatchId batch = rig.queue.enqueue({s});
    const ResumeEntry entry{"UP7", "tmp/s3file/f7/big.mp4", "sig-f7", 8 * MiB, rig.clock.epoch_ms() - 3600000};
    rig.queue.on_resume_loaded(rig.store.loads.front().first, &entry);
    const auto list = rig.api.take();
    CHECK(list.what == "list");
    CHECK(list.ref.upload_id == "UP7");
    // Parts 1 and 3 stored; part 4 with a wrong size (sent again); an out-of-range number ignored.
    rig.queue.on_parts_listed(list.call, {{1, 8 * MiB, "\"e1\""}, {3, 8 * MiB, "\"e3\""},
                                          {4, 5 * MiB, "\"e4\""}, {9, 8 * MiB, "\"e9\""}});
    CHECK(rig.queue.batch_progress(batch).loaded == 16 * MiB);
    CHECK(answer_sign(rig) == std::vector<std::uint32_t>{2, 4, 5});
    rig.serve_reads();
    CHECK(parts_in_flight(rig) == std::vector<std::uint32_t>{2, 4, 5});
    for (std::uint32_t n : {2u, 4u, 5u}) respond_part(rig, take_part(rig, n));
    const auto complete = rig.api.take();
    REQUIRE(complete.parts.size() == 5);
    CHECK(complete.parts[0].etag == "\"e1\"");
    CHECK(complete.parts[2].etag == "\"e3\"");
    CHECK(complete.parts[3].etag == "\"etag-4\"");
    rig.queue.on_multipart_completed(complete.call, {"", "", "", ""});
    CHECK(rig.queue.find(1)->result.key == "tmp/s3file/f7/big.mp4");
    CHECK(rig.queue.find(1)->state == UploadState::Succeeded);
}

TEST_CASE("a stale entry, or one whose upload is gone, starts a new upload") {
    Rig rig;
    rig.queue.enqueue({multipart_spec("big.mp4", 40 * MiB)});
    const ResumeEntry old{"UP7", "k", "s", 8 * MiB, rig.clock.epoch_ms() - 8ull * 24 * 3600 * 1000};
    rig.queue.on_resume_loaded(rig.store.loads.front().first, &old);
    CHECK(rig.store.removals == 1);
    CHECK(rig.api.take().what == "create");

    Rig gone;
    gone.queue.enqueue({multipart_spec("big.mp4", 40 * MiB)});
    const ResumeEntry fresh{"UP8", "k", "s", 8 * MiB, gone.clock.epoch_ms()};
    gone.queue.on_resume_loaded(gone.store.loads.front().first, &fresh);
    const auto list = gone.api.take();
    gone.queue.on_multipart_failed(list.call, 404, "NoSuchUpload", "");
    CHECK(gone.store.removals == 1);
    CHECK(gone.api.take().what == "create");
}

TEST_CASE("files beyond 5 TiB are refused with S3's EntityTooLarge and the limit") {
    Rig rig;
    rig.queue.enqueue({multipart_spec("huge.img", kMaxObjectSize + 1)});
    const Upload* upload = rig.queue.find(1);
    CHECK(upload->state == UploadState::Failed);
    CHECK(upload->error.code == "EntityTooLarge");
    CHECK(upload->error.limit == kMaxObjectSize);
    CHECK(rig.store.loads.empty());
    CHECK(rig.api.calls.empty());
}

TEST_CASE("a part stored without an exposed ETag fails the file with a clear code") {
    Rig rig;
    rig.queue.enqueue({multipart_spec("big.mp4", 9 * MiB)});
    answer_create(rig);
    answer_sign(rig);
    rig.serve_reads();
    rig.transport.respond(take_part(rig, 1), 200);
    CHECK(rig.queue.find(1)->state == UploadState::Failed);
    CHECK(rig.queue.find(1)->error.code == "BadReply");
}

TEST_CASE("a file that cannot be read any more fails at once") {
    Rig rig;
    rig.queue.enqueue({multipart_spec("big.mp4", 9 * MiB)});
    answer_create(rig);
    answer_sign(rig);
    const auto read = rig.reader.pending.front();
    rig.queue.on_read(read.id, nullptr, 0);
    CHECK(rig.queue.find(1)->state == UploadState::Failed);
    CHECK(rig.queue.find(1)->error.code == "FileUnreadable");
    CHECK(rig.queue.active_count() == 0);
}

TEST_CASE("a transient API failure is retried on the schedule; a refusal is final") {
    Rig rig;
    rig.queue.enqueue({multipart_spec("big.mp4", 9 * MiB), multipart_spec("other.mp4", 9 * MiB, 2)});
    rig.queue.on_resume_loaded(rig.store.loads[0].first, nullptr);
    rig.queue.on_resume_loaded(rig.store.loads[1].first, nullptr);
    auto create = rig.api.take();
    rig.queue.on_multipart_failed(create.call, 503, "", "busy");
    CHECK(rig.queue.find(1)->state == UploadState::RetryWaiting);
    auto other = rig.api.take();
    rig.queue.on_multipart_failed(other.call, 400, "FileTooLarge", "too big");
    CHECK(rig.queue.find(2)->state == UploadState::Failed);
    CHECK(rig.queue.find(2)->error.code == "FileTooLarge");
    rig.clock.advance(2000);
    REQUIRE(rig.api.calls.size() == 1);
    CHECK(rig.api.calls[0].what == "create");
}

TEST_CASE("file progress is stored part bytes plus in-flight bytes, and never decreases") {
    Rig rig;
    const BatchId batch = rig.queue.enqueue({multipart_spec("big.mp4", 24 * MiB)});
    answer_create(rig);
    answer_sign(rig);
    rig.serve_reads();
    rig.transport.progress(rig.transport.in_flight[0], 3 * MiB);
    rig.transport.progress(rig.transport.in_flight[1], 2 * MiB);
    CHECK(rig.queue.find(1)->loaded == 5 * MiB);
    respond_part(rig, take_part(rig, 1));
    CHECK(rig.queue.find(1)->loaded == 10 * MiB);
    rig.transport.fail_network(take_part(rig, 2));  // its 2 MiB are gone from this attempt
    CHECK(rig.queue.find(1)->loaded == 8 * MiB);
    CHECK(rig.queue.batch_progress(batch).loaded == 10 * MiB);  // the bar stays
    std::uint64_t last = 0;
    for (const auto& event : rig.log.events) {
        CHECK(event.batch_progress.loaded >= last);
        last = event.batch_progress.loaded;
    }
}

TEST_CASE("the page's part size cuts the file and is kept for a resume") {
    QueueOptions options;
    options.part_size = 32 * MiB;
    Rig rig(options);
    rig.queue.enqueue({multipart_spec("big.mp4", 80 * MiB, 3)});  // 32 + 32 + 16 MiB
    answer_create(rig);
    CHECK(rig.store.entries.begin()->second.part_size == 32 * MiB);
    CHECK(answer_sign(rig) == std::vector<std::uint32_t>{1, 2, 3});
    rig.serve_reads();
    CHECK(rig.reader.largest <= 256 * 1024);  // still hashed in 256 KiB chunks
    REQUIRE(rig.transport.in_flight.size() == 3);
    CHECK(take_part(rig, 2).request.body.file.size == 32 * MiB);
    CHECK(take_part(rig, 3).request.body.file.size == 16 * MiB);
}

TEST_CASE("each part is hashed from one streamed read of its slice, 256 KiB at a time") {
    Rig rig;
    rig.queue.enqueue({multipart_spec("big.mp4", 20 * MiB + 5, 4)});
    answer_create(rig);
    answer_sign(rig);
    // One read per part over the part's bytes, not one per chunk.
    REQUIRE(rig.reader.pending.size() == 3);
    for (std::uint32_t i = 0; i < 3; ++i) {
        CHECK(rig.reader.pending[i].offset == i * 8 * MiB);
        CHECK(rig.reader.pending[i].length == (i < 2 ? 8 * MiB : 4 * MiB + 5));
        CHECK(rig.reader.pending[i].chunk == 256 * 1024);
    }
    CHECK(rig.serve_reads() == 32 + 32 + 17);  // 4 MiB + 5 bytes: sixteen chunks and a 5-byte one
    CHECK(rig.reader.largest == 256 * 1024);
    REQUIRE(rig.transport.in_flight.size() == 3);
    for (std::uint32_t n = 1; n <= 3; ++n) {
        const auto sent = take_part(rig, n);
        CHECK(header(sent.request, "Content-MD5") == expected_md5(4, (n - 1) * 8 * MiB, sent.request.body.file.size));
    }
}

TEST_CASE("pausing a part while it is hashed cancels its read; resume hashes it again from its start") {
    Rig rig;
    rig.queue.enqueue({multipart_spec("big.mp4", 16 * MiB, 5)});
    answer_create(rig);
    answer_sign(rig);
    REQUIRE(rig.reader.pending.size() == 2);
    const ReadId first = rig.reader.pending[0].id, second = rig.reader.pending[1].id;
    rig.reader.serve_one(rig.queue);  // 256 KiB of part 1 hashed
    REQUIRE(rig.queue.pause(1));
    CHECK(rig.reader.pending.empty());
    CHECK(rig.reader.canceled.size() == 2);
    CHECK(std::count(rig.reader.canceled.begin(), rig.reader.canceled.end(), first) == 1);
    CHECK(std::count(rig.reader.canceled.begin(), rig.reader.canceled.end(), second) == 1);
    CHECK(rig.queue.active_count() == 0);
    REQUIRE(rig.queue.resume(1));
    REQUIRE(rig.reader.pending.size() == 2);
    CHECK(rig.reader.pending[0].offset == 0);
    CHECK(rig.reader.pending[0].length == 8 * MiB);
    rig.serve_reads();
    for (std::uint32_t n = 1; n <= 2; ++n) {
        const auto sent = take_part(rig, n);
        CHECK(header(sent.request, "Content-MD5") == expected_md5(5, (n - 1) * 8 * MiB, 8 * MiB));
    }
}

TEST_CASE("a read that stalls is canceled and the part is hashed again on retry") {
    QueueOptions options;
    options.concurrency = 1;
    Rig rig(options);
    rig.queue.enqueue({multipart_spec("big.mp4", 8 * MiB, 6)});  // one part
    answer_create(rig);
    answer_sign(rig);
    REQUIRE(rig.reader.pending.size() == 1);
    const ReadId stalled = rig.reader.pending[0].id;
    rig.clock.advance(rig.queue.options().retry.stall_timeout_ms);
    CHECK(rig.reader.canceled == std::vector<ReadId>{stalled});
    CHECK(rig.log.of(EventType::UploadRetry).size() == 1);
    std::uint64_t due = 0;
    while (rig.reader.pending.empty() && rig.clock.next_due(due)) rig.clock.advance(due);  // the retry delay
    REQUIRE(rig.reader.pending.size() == 1);  // a new read of the whole part
    CHECK(rig.reader.pending[0].id != stalled);
    CHECK(rig.reader.pending[0].offset == 0);
    CHECK(rig.reader.pending[0].length == 8 * MiB);
    rig.serve_reads();
    CHECK(header(take_part(rig, 1).request, "Content-MD5") == expected_md5(6, 0, 8 * MiB));
}
