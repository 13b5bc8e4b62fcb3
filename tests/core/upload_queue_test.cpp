#include <algorithm>

#include <catch2/catch.hpp>

#include "core/fakes.hpp"

using namespace s3file;
using namespace s3file::testing;

namespace {
/// `count` files f0, f1, … of `size` bytes each.
std::vector<UploadSpec> files(int count, std::uint64_t size) {
    std::vector<UploadSpec> specs;
    for (int i = 0; i < count; ++i) specs.push_back(spec("f" + std::to_string(i), size));
    return specs;
}
}  // namespace

TEST_CASE("an upload posts the policy fields, then the file, and succeeds on 201") {
    Rig rig;
    const BatchId batch = rig.queue.enqueue({spec("a.txt", 10)});
    REQUIRE(rig.transport.in_flight.size() == 1);
    const auto sent = rig.transport.take();
    CHECK(sent.request.method == "POST");
    CHECK(sent.request.url == "http://127.0.0.1:8081/bucket");
    // No headers: the browser sets the form's Content-Type with the boundary it draws.
    CHECK(sent.request.headers.empty());
    CHECK(FakeTransport::field(sent, "key") == "tmp/s3file/abc/a.txt");  // substituted by the widget
    CHECK(FakeTransport::field(sent, "x-amz-signature") == "00ff");
    CHECK(FakeTransport::field(sent, "Content-Type") == "text/plain");
    // Policy fields keep their order; the file part comes after them all.
    const Fields& fields = sent.request.body.fields;
    const auto at = [&](const std::string& name) {
        return std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.first == name; }) - fields.begin();
    };
    CHECK(at("key") < at("policy"));
    CHECK(at("policy") < at("x-amz-signature"));
    CHECK(sent.request.body.file_field == "file");
    CHECK(sent.request.body.file.name == "a.txt");
    CHECK(sent.request.body.file.size == 10);
    CHECK(rig.queue.find(1)->state == UploadState::Uploading);

    rig.transport.file_progress(sent, sent.request.body.file.size);
    rig.transport.respond(sent, 201, post_response("tmp/s3file/abc/a.txt"));
    const Upload* upload = rig.queue.find(1);
    CHECK(upload->state == UploadState::Succeeded);
    CHECK(upload->result.key == "tmp/s3file/abc/a.txt");
    CHECK(upload->result.etag == "\"abc\"");
    REQUIRE(rig.log.of(EventType::BatchSucceeded).size() == 1);
    CHECK(rig.log.of(EventType::BatchSucceeded)[0].batch == batch);
    CHECK(rig.queue.batch_progress(batch).fraction == 1.0);
    CHECK(rig.clock.pending() == 0);  // the stall timer is gone
}

TEST_CASE("the next file's request goes out before the finished one's events are handled") {
    // The page's listeners run while the network already carries the next file; with small
    // files one after another, the connection otherwise idles through every event dispatch.
    QueueOptions options;
    options.concurrency = 1;
    Rig rig(options);
    rig.queue.enqueue({spec("a", 10), spec("b", 10)});
    const auto a = rig.transport.take();
    CHECK(rig.transport.sent_count == 1);
    rig.transport.respond(a, 201, post_response("k/a"));
    const auto succeeded = rig.log.of(EventType::UploadSucceeded);
    REQUIRE(succeeded.size() == 1);
    CHECK(succeeded[0].upload == 1);
    CHECK(succeeded[0].requests_sent == 2);  // b was sent already
    CHECK(rig.transport.in_flight.size() == 1);
    CHECK(rig.queue.find(2)->state == UploadState::Uploading);
}

TEST_CASE("fields the seed appends are added only when the policy lacks them") {
    Rig rig;
    UploadSpec s = spec("b.bin", 1);
    s.policy.fields = {{"key", "k/${filename}"}};
    s.file.type = "image/png";
    rig.queue.enqueue({s});
    const auto sent = rig.transport.take();
    CHECK(FakeTransport::field(sent, "success_action_status") == "201");
    CHECK(FakeTransport::field(sent, "Content-Type") == "image/png");
}

TEST_CASE("the concurrency limit holds and the queue is FIFO") {
    QueueOptions options;
    options.concurrency = 2;
    Rig rig(options);
    rig.queue.enqueue({spec("1", 1), spec("2", 1), spec("3", 1), spec("4", 1)});
    REQUIRE(rig.transport.in_flight.size() == 2);
    CHECK(rig.queue.find(3)->state == UploadState::Queued);
    auto first = rig.transport.take();
    CHECK(first.request.body.file.name == "1");
    rig.transport.respond(first, 201, post_response("k/1"));
    REQUIRE(rig.transport.in_flight.size() == 2);
    CHECK(rig.transport.in_flight.back().request.body.file.name == "3");
    CHECK(rig.queue.active_count() == 2);
}

TEST_CASE("the default concurrency is the browsers' six connections per host") {
    Rig rig;
    rig.queue.enqueue(files(10, 300 * 1024));
    CHECK(rig.transport.in_flight.size() == 6);
}

TEST_CASE("sixteen small files beyond the six connections wait in the browser's queue, the rest in the engine's") {
    // Not every file at once, as the seed's script did: a thousand sends in one go held the
    // page's main thread most of a second. Each reply hands the browser the next file.
    Rig rig;
    rig.queue.enqueue(files(40, 4096));
    REQUIRE(rig.transport.in_flight.size() == 22);
    CHECK(rig.transport.in_flight.back().request.body.file.name == "f21");
    CHECK(rig.log.of(EventType::UploadStarted).size() == 6);
    rig.transport.respond(rig.transport.take(), 201, post_response("k/f0"));
    REQUIRE(rig.transport.in_flight.size() == 22);
    CHECK(rig.transport.in_flight.back().request.body.file.name == "f22");
}

TEST_CASE("small files beyond the browser's connections start when they move, or as they end") {
    // The six on connections start at once, the others when their bytes move, or as they end.
    Rig rig;
    rig.queue.enqueue(files(14, 4096));
    REQUIRE(rig.transport.in_flight.size() == 14);
    CHECK(rig.queue.active_count() == 14);
    CHECK(rig.log.of(EventType::UploadStarted).size() == 6);
    const auto f0 = rig.transport.take();
    rig.transport.respond(f0, 201, post_response("k/f0"));
    // f6 waited in the browser's queue; its first progress is its start, then its progress.
    const auto f6 = rig.transport.in_flight[5];
    REQUIRE(f6.request.body.file.name == "f6");
    rig.transport.file_progress(f6, 4096);
    auto starts = rig.log.of(EventType::UploadStarted);
    REQUIRE(starts.size() == 7);
    CHECK(starts.back().upload == 7);
    CHECK(rig.log.events.back().type == EventType::UploadProgress);
    // f7 sends no progress at all: it starts as it ends, before its success.
    const auto f7 = rig.transport.in_flight[6];
    REQUIRE(f7.request.body.file.name == "f7");
    const std::size_t before = rig.log.events.size();
    rig.transport.respond(f7, 201, post_response("k/f7"));
    CHECK(rig.log.events[before].type == EventType::UploadStarted);
    CHECK(rig.log.events[before].upload == 8);
    CHECK(rig.log.of(EventType::UploadSucceeded).back().upload == 8);
}

TEST_CASE("with queue_ahead 6, six small files more wait in the browser's queue, for the next free connection") {
    QueueOptions options;
    options.queue_ahead = 6;
    Rig rig(options);
    rig.queue.enqueue(files(14, 4096));
    CHECK(rig.transport.in_flight.size() == 12);
    CHECK(rig.queue.active_count() == 12);
    rig.transport.respond(rig.transport.take(), 201, post_response("k/f0"));
    CHECK(rig.transport.in_flight.size() == 12);  // the thirteenth goes out as the first ends
    CHECK(rig.transport.in_flight.back().request.body.file.name == "f12");
}

TEST_CASE("a request waiting in the browser's queue stalls only once nothing on the way moved for the stall timeout") {
    // It has no progress to tell while it waits: on a slow link a thousand small files take
    // longer than the 30 s a request may go without progress.
    Rig rig;
    rig.queue.enqueue(files(8, 4096));
    REQUIRE(rig.transport.in_flight.size() == 8);
    for (int second = 1; second <= 90; ++second) {  // f0 moves a byte a second; the others wait
        rig.clock.advance(1000);
        rig.transport.progress(rig.transport.in_flight[0], static_cast<std::uint64_t>(second));
    }
    // f1-f5 are on connections without a byte moved for 90 s: stalled at 30 s (and again at 60
    // and 90 s, after their retries). f6 and f7 wait behind them: not stalled.
    for (UploadId waiting : {7u, 8u}) {
        CHECK(rig.queue.find(waiting)->state == UploadState::Uploading);
        CHECK(rig.queue.find(waiting)->attempts == 1);
    }
    CHECK(rig.queue.find(2)->attempts > 1);
    // Nothing moves any more: 30 s later the waiting ones are overdue too.
    rig.clock.advance(29999);
    CHECK(rig.queue.find(7)->attempts == 1);
    rig.clock.advance(1);
    CHECK(rig.queue.find(7)->attempts == 2);
    CHECK(rig.queue.find(8)->attempts == 2);
    CHECK(rig.queue.find(7)->error.code == "Stalled");
}

TEST_CASE("nothing waits in the browser's queue beside a large file, nor under a lower limit") {
    SECTION("a large file in flight: six") {
        Rig rig;
        std::vector<UploadSpec> specs{spec("big", 300 * 1024)};
        for (UploadSpec& small : files(9, 4096)) specs.push_back(small);
        rig.queue.enqueue(specs);
        CHECK(rig.transport.in_flight.size() == 6);
    }
    SECTION("a large file next in line waits for a connection of its own, and keeps its place") {
        Rig rig;
        std::vector<UploadSpec> specs = files(8, 4096);
        specs.push_back(spec("big", 300 * 1024));
        specs.push_back(spec("after", 4096));
        rig.queue.enqueue(specs);
        REQUIRE(rig.transport.in_flight.size() == 8);
        rig.transport.respond(rig.transport.take(), 201, post_response("k/f0"));
        rig.transport.respond(rig.transport.take(), 201, post_response("k/f1"));
        CHECK(rig.transport.in_flight.size() == 6);  // 'big' is first in line: no small file passes it
        rig.transport.respond(rig.transport.take(), 201, post_response("k/f2"));
        REQUIRE(rig.transport.in_flight.size() == 6);
        CHECK(rig.transport.in_flight.back().request.body.file.name == "big");
    }
    SECTION("concurrency 2, or queue_ahead 0: exactly the limit") {
        for (const auto& [concurrency, ahead] : {std::pair{2u, 2u}, std::pair{6u, 0u}}) {
            QueueOptions options;
            options.concurrency = concurrency;
            options.queue_ahead = ahead;
            Rig rig(options);
            rig.queue.enqueue(files(10, 4096));
            CHECK(rig.transport.in_flight.size() == concurrency);
        }
    }
}

TEST_CASE("network errors are retried on the schedule, then fail with the list of errors") {
    Rig rig;
    const BatchId batch = rig.queue.enqueue({spec("a.txt", 10), spec("b.txt", 5)});
    auto ok = rig.transport.in_flight.back();
    rig.transport.in_flight.pop_back();
    rig.transport.respond(ok, 201, post_response("tmp/s3file/abc/b.txt"));
    for (int attempt = 1; attempt <= 5; ++attempt) {
        REQUIRE(rig.transport.in_flight.size() == 1);
        rig.transport.fail_network(rig.transport.take());
        if (attempt <= 4) {
            CHECK(rig.queue.find(1)->state == UploadState::RetryWaiting);
            rig.clock.advance(6000);
        }
    }
    CHECK(rig.queue.find(1)->state == UploadState::Failed);
    CHECK(rig.queue.find(1)->error.code == "NetworkError");
    CHECK(rig.queue.find(1)->error.status == 0);
    CHECK(rig.log.of(EventType::UploadRetry).size() == 4);
    const auto failed = rig.log.of(EventType::BatchFailed);
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].batch == batch);
    REQUIRE(failed[0].errors.size() == 1);
    CHECK(failed[0].errors[0].first == 1);
    CHECK(failed[0].errors[0].second.code == "NetworkError");
    CHECK(rig.log.of(EventType::BatchSucceeded).empty());
}

TEST_CASE("policy violations fail at once with S3's code, message and limit") {
    Rig rig;
    rig.queue.enqueue({spec("big.bin", 100)});
    rig.transport.respond(rig.transport.take(), 400,
                          s3_error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size",
                                   "<MaxSizeAllowed>10485760</MaxSizeAllowed>"));
    const Upload* upload = rig.queue.find(1);
    CHECK(upload->state == UploadState::Failed);
    CHECK(upload->error.code == "EntityTooLarge");
    CHECK(upload->error.limit == 10485760);
    CHECK(upload->error.detail == "Your proposed upload exceeds the maximum allowed size");
    CHECK(upload->error.status == 400);
    CHECK(rig.transport.sent_count == 1);
    CHECK(rig.log.of(EventType::UploadRetry).empty());
}

TEST_CASE("SlowDown honours Retry-After and RequestTimeout is retried") {
    Rig rig;
    rig.queue.enqueue({spec("a", 1)});
    rig.transport.respond(rig.transport.take(), 503, s3_error("SlowDown", "Please reduce your request rate."), "9");
    const auto retry = rig.log.of(EventType::UploadRetry);
    REQUIRE(retry.size() == 1);
    CHECK(retry[0].retry_delay_ms == 9000);
    rig.clock.advance(8999);
    CHECK(rig.transport.in_flight.empty());
    rig.clock.advance(1);
    REQUIRE(rig.transport.in_flight.size() == 1);
    rig.transport.respond(rig.transport.take(), 400, s3_error("RequestTimeout", "Your socket connection timed out."));
    CHECK(rig.queue.find(1)->state == UploadState::RetryWaiting);
    rig.clock.advance(10000);
    rig.transport.respond(rig.transport.take(), 201, post_response("k/a"));
    CHECK(rig.queue.find(1)->state == UploadState::Succeeded);
    CHECK(rig.queue.find(1)->attempts == 3);
}

TEST_CASE("a stalled request is aborted and retried") {
    Rig rig;
    rig.queue.enqueue({spec("a", 100)});
    auto sent = rig.transport.take();
    rig.transport.in_flight.push_back(sent);  // keep it "in flight" for abort bookkeeping
    rig.clock.advance(29999);
    rig.transport.file_progress(sent, 10);  // progress re-arms the timer
    rig.clock.advance(29999);
    CHECK(rig.transport.aborted.empty());
    rig.clock.advance(1);
    REQUIRE(rig.transport.aborted.size() == 1);
    CHECK(rig.transport.aborted[0] == sent.id);
    // The first retry follows at once (schedule delay 0): a second attempt is in flight.
    const auto retries = rig.log.of(EventType::UploadRetry);
    REQUIRE(retries.size() == 1);
    CHECK(retries[0].error.code == "Stalled");
    CHECK(rig.queue.find(1)->attempts == 2);
    REQUIRE(rig.transport.in_flight.size() == 1);
    CHECK(rig.transport.in_flight.front().id != sent.id);
    // A late answer to the aborted request is ignored.
    rig.transport.respond(sent, 201, post_response("k/a"));
    CHECK(rig.queue.find(1)->state == UploadState::Uploading);
    CHECK(rig.log.of(EventType::UploadSucceeded).empty());
}

TEST_CASE("a reply's headers are read only when its body lacks what they carry") {
    // Handing every reply's headers to the engine cost the browser a call and three string
    // copies per file; S3's 201 XML already carries the key and the ETag.
    Rig rig;
    rig.queue.enqueue({spec("a", 10), spec("b", 10), spec("c", 10)});
    rig.transport.respond(rig.transport.take(), 201, post_response("k/a"));
    CHECK(rig.queue.find(1)->state == UploadState::Succeeded);
    CHECK(rig.transport.header_reads == 0);
    // No ETag in the XML: the header's.
    rig.transport.headers = {{"etag", "\"e2\""}};
    rig.queue.on_response(rig.transport.take().id, {201, "<PostResponse><Key>k/b</Key></PostResponse>"});
    CHECK(rig.queue.find(2)->result.etag == "\"e2\"");
    CHECK(rig.transport.header_reads == 1);
    // 204 (success_action_status 204): no body, both headers.
    rig.transport.headers = {{"etag", "\"e3\""}, {"location", "http://s3/k/c"}};
    rig.queue.on_response(rig.transport.take().id, {204, ""});
    CHECK(rig.queue.find(3)->result.etag == "\"e3\"");
    CHECK(rig.queue.find(3)->result.location == "http://s3/k/c");
}

TEST_CASE("one timer watches every request in flight for stalls, not one per request") {
    // A timer per request was a setTimeout and a clearTimeout per small file.
    Rig rig;
    rig.queue.enqueue(files(40, 10));
    int answered = 0;
    while (!rig.transport.in_flight.empty()) {
        rig.transport.respond(rig.transport.take(), 201, post_response("k/f" + std::to_string(answered)));
        ++answered;
    }
    CHECK(answered == 40);
    CHECK(rig.log.of(EventType::UploadSucceeded).size() == 40);
    CHECK(rig.clock.started == 1);
    CHECK(rig.clock.pending() == 0);  // none left once nothing is in flight
}

TEST_CASE("each request stalls at its own deadline, whenever it started") {
    QueueOptions options;
    options.concurrency = 2;
    options.queue_ahead = 0;
    Rig rig(options);
    rig.queue.enqueue({spec("a", 100), spec("b", 100), spec("c", 100)});
    auto a = rig.transport.take();
    auto b = rig.transport.take();
    rig.transport.in_flight.push_back(b);
    rig.clock.advance(20000);
    rig.transport.respond(a, 201, post_response("k/a"));  // c starts at 20 s
    REQUIRE(rig.transport.in_flight.size() == 2);
    const auto c = rig.transport.in_flight.back();
    rig.clock.advance(5000);
    rig.transport.file_progress(b, 10);  // b's deadline moves to 55 s
    rig.clock.advance(24999);            // 49.999 s
    CHECK(rig.transport.aborted.empty());
    rig.clock.advance(1);  // 50 s: c's deadline
    REQUIRE(rig.transport.aborted.size() == 1);
    CHECK(rig.transport.aborted[0] == c.id);
    CHECK(rig.queue.find(2)->state == UploadState::Uploading);
    rig.clock.advance(4999);  // 54.999 s
    CHECK(rig.transport.aborted.size() == 1);
    rig.clock.advance(1);  // 55 s: b's
    REQUIRE(rig.transport.aborted.size() == 2);
    CHECK(rig.transport.aborted[1] == b.id);
    const auto retries = rig.log.of(EventType::UploadRetry);
    REQUIRE(retries.size() == 2);
    CHECK(retries[0].error.code == "Stalled");
    CHECK(retries[1].error.code == "Stalled");
}

TEST_CASE("real progress resets the retry budget") {
    Rig rig;
    rig.queue.enqueue({spec("a", 1000)});
    // Each attempt gets further than the last before the connection drops: never fails.
    for (std::uint64_t reached = 100; reached <= 900; reached += 100) {
        REQUIRE(rig.transport.in_flight.size() == 1);
        auto sent = rig.transport.take();
        rig.transport.file_progress(sent, reached);
        rig.transport.fail_network(sent);
        REQUIRE(rig.queue.find(1)->state == UploadState::RetryWaiting);
        rig.clock.advance(10000);
    }
    CHECK(rig.queue.find(1)->attempts == 10);
    // Without new progress the budget runs out: the failure after the last progress plus
    // the four attempts of the schedule {0, 1000, 3000, 5000}.
    for (int i = 0; i < 4; ++i) {
        REQUIRE(rig.transport.in_flight.size() == 1);
        rig.transport.fail_network(rig.transport.take());
        rig.clock.advance(10000);
    }
    CHECK(rig.queue.find(1)->state == UploadState::Failed);
    CHECK(rig.queue.find(1)->attempts == 13);
}

TEST_CASE("progress from the browser's form body counts file bytes, never more than were sent") {
    Rig rig;
    const BatchId batch = rig.queue.enqueue({spec("a", 1000)});
    const auto sent = rig.transport.take();
    const std::uint64_t head = FakeTransport::head_size(sent), total = FakeTransport::body_size(sent);
    REQUIRE(total > head + 1000);  // the closing boundary follows the file
    rig.transport.progress(sent, head);  // the fields are out, no file byte yet
    CHECK(rig.queue.find(1)->loaded == 0);
    rig.transport.progress(sent, head + 600);
    const std::uint64_t loaded = rig.queue.find(1)->loaded;
    CHECK(loaded <= 600);
    CHECK(loaded == 600 - (total - head - 1000));  // short by the closing boundary only
    rig.transport.progress(sent, total);
    CHECK(rig.queue.find(1)->loaded == 1000);
    CHECK(rig.queue.batch_progress(batch).loaded == 1000);
}

TEST_CASE("batch progress never goes backwards across a retry; file progress is per attempt") {
    Rig rig;
    const BatchId batch = rig.queue.enqueue({spec("a", 100)});
    auto sent = rig.transport.take();
    rig.transport.file_progress(sent, 60);
    CHECK(rig.queue.batch_progress(batch).loaded == 60);
    rig.transport.fail_network(sent);
    rig.clock.advance(1000);
    sent = rig.transport.take();
    rig.transport.file_progress(sent, 20);
    const auto progress = rig.log.of(EventType::UploadProgress);
    CHECK(progress.back().file.loaded == 20);
    CHECK(progress.back().batch_progress.loaded == 60);
    double last = 0;
    for (const auto& e : progress) {
        CHECK(e.batch_progress.fraction >= last);
        last = e.batch_progress.fraction;
    }
}

TEST_CASE("progress events carry file, input and batch aggregates") {
    Rig rig;
    rig.queue.enqueue({spec("a", 100, "docs"), spec("b", 300, "docs"), spec("c", 600, "photo")});
    auto a = rig.transport.take();
    rig.transport.file_progress(a, 50);
    const Recorded e = rig.log.of(EventType::UploadProgress).back();
    CHECK(e.upload == 1);
    CHECK(e.input == "docs");
    CHECK(e.file.loaded == 50);
    CHECK(e.file.total == 100);
    CHECK(e.input_progress.loaded == 50);
    CHECK(e.input_progress.total == 400);
    CHECK(e.batch_progress.loaded == 50);
    CHECK(e.batch_progress.total == 1000);
    CHECK(e.batch_progress.fraction == Approx(0.05));
}

TEST_CASE("zero-byte files succeed with progress exactly 1") {
    Rig rig;
    const BatchId batch = rig.queue.enqueue({spec("empty", 0)});
    auto sent = rig.transport.take();
    CHECK(sent.request.body.file.size == 0);
    rig.transport.respond(sent, 201, post_response("k/empty"));
    const auto progress = rig.log.of(EventType::UploadProgress);
    REQUIRE_FALSE(progress.empty());
    CHECK(progress.back().batch_progress.fraction == 1.0);
    CHECK(progress.back().file.total == 0);
    CHECK(rig.queue.batch_progress(batch).fraction == 1.0);
}

TEST_CASE("progress events are throttled through the clock, the final one always goes out") {
    QueueOptions options;
    options.progress_interval_ms = 100;
    Rig rig(options);
    rig.queue.enqueue({spec("a", 1000)});
    auto sent = rig.transport.take();
    for (int i = 1; i <= 10; ++i) rig.transport.file_progress(sent, i * 10);
    CHECK(rig.log.of(EventType::UploadProgress).size() == 1);
    rig.clock.advance(100);
    rig.transport.file_progress(sent, 500);
    CHECK(rig.log.of(EventType::UploadProgress).size() == 2);
    rig.transport.respond(sent, 201, post_response("k/a"));
    CHECK(rig.log.of(EventType::UploadProgress).size() == 3);
    CHECK(rig.log.of(EventType::UploadProgress).back().batch_progress.fraction == 1.0);
}

TEST_CASE("throttled, a file's last tick is forced only when it completes its input or its batch") {
    QueueOptions options;
    options.progress_interval_ms = 100;
    Rig rig(options);
    const BatchId batch = rig.queue.enqueue({spec("a", 10, "docs"), spec("b", 10, "docs"), spec("c", 10, "docs"),
                                             spec("d", 10, "photo"), spec("e", 10, "photo")});
    std::vector<FakeTransport::Sent> sent;
    for (int i = 0; i < 5; ++i) sent.push_back(rig.transport.take());
    rig.transport.respond(sent[0], 201, post_response("k/a"));  // the batch's first tick: admitted
    rig.transport.respond(sent[1], 201, post_response("k/b"));  // within the interval: held back
    CHECK(rig.log.of(EventType::UploadProgress).size() == 1);
    rig.transport.respond(sent[3], 201, post_response("k/d"));  // held back
    rig.transport.respond(sent[2], 201, post_response("k/c"));  // completes "docs": forced
    auto progress = rig.log.of(EventType::UploadProgress);
    REQUIRE(progress.size() == 2);
    CHECK(progress.back().input == "docs");
    CHECK(progress.back().input_progress.fraction == 1.0);
    rig.transport.respond(sent[4], 201, post_response("k/e"));  // completes "photo" and the batch
    progress = rig.log.of(EventType::UploadProgress);
    REQUIRE(progress.size() == 3);
    CHECK(progress.back().batch_progress.fraction == 1.0);
    CHECK(rig.queue.batch_progress(batch).fraction == 1.0);
    CHECK(rig.log.of(EventType::UploadSucceeded).size() == 5);
}

TEST_CASE("cancel aborts in-flight requests, pending retries and queued uploads") {
    QueueOptions options;
    options.concurrency = 1;
    Rig rig(options);
    const BatchId batch = rig.queue.enqueue({spec("a", 1), spec("b", 1)});
    auto sent = rig.transport.in_flight.front();
    rig.queue.cancel(1);
    CHECK(rig.transport.aborted == std::vector<RequestId>{sent.id});
    CHECK(rig.queue.find(1)->state == UploadState::Canceled);
    REQUIRE(rig.transport.in_flight.size() == 1);  // the slot went to the next upload
    rig.transport.fail_network(rig.transport.take());
    CHECK(rig.queue.find(2)->state == UploadState::RetryWaiting);
    rig.queue.cancel_all();
    CHECK(rig.queue.find(2)->state == UploadState::Canceled);
    CHECK(rig.clock.pending() == 0);
    const auto failed = rig.log.of(EventType::BatchFailed);
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].batch == batch);
    CHECK(failed[0].errors.size() == 2);
    CHECK(failed[0].errors[0].second.code == "Canceled");
}

TEST_CASE("retry_failed requeues only what did not succeed") {
    Rig rig;
    const BatchId batch = rig.queue.enqueue({spec("a", 1), spec("b", 1)});
    auto a = rig.transport.take();
    auto b = rig.transport.take();
    rig.transport.respond(a, 201, post_response("k/a"));
    rig.transport.respond(b, 403, s3_error("AccessDenied", "Invalid according to Policy: Policy expired."));
    REQUIRE(rig.queue.batch_finished(batch));
    CHECK(rig.queue.find(2)->error.code == "PolicyExpired");
    CHECK(rig.queue.retry_failed(batch) == 1);
    CHECK_FALSE(rig.queue.batch_finished(batch));
    REQUIRE(rig.transport.in_flight.size() == 1);
    auto again = rig.transport.take();
    CHECK(again.request.body.file.name == "b");
    rig.transport.respond(again, 201, post_response("k/b"));
    CHECK(rig.log.of(EventType::BatchSucceeded).size() == 1);
    CHECK(rig.queue.find(1)->result.key == "k/a");
}

TEST_CASE("policies are requested once per batch and uploads wait in Signing") {
    QueueOptions options;
    options.concurrency = 1;
    Rig rig(options);
    rig.queue.enqueue({spec("a", 1, "f", false), spec("b", 1, "f", false)});
    REQUIRE(rig.policies.requests.size() == 1);
    CHECK(rig.policies.requests[0].uploads == std::vector<UploadId>{1, 2});
    CHECK(rig.queue.find(1)->state == UploadState::Signing);
    CHECK(rig.queue.find(2)->state == UploadState::Queued);
    rig.queue.provide_policy(2, sample_policy("tmp/s3file/two"));
    CHECK(rig.transport.in_flight.empty());
    rig.queue.provide_policy(1, sample_policy("tmp/s3file/one"));
    REQUIRE(rig.transport.in_flight.size() == 1);
    rig.transport.respond(rig.transport.take(), 201, post_response("tmp/s3file/one/a"));
    REQUIRE(rig.transport.in_flight.size() == 1);
    CHECK(FakeTransport::field(rig.transport.in_flight.front(), "key") == "tmp/s3file/two/b");
    CHECK(rig.policies.requests.size() == 1);
}

TEST_CASE("a failed policy request is retried when transient and final when refused") {
    Rig rig;
    rig.queue.enqueue({spec("a", 1, "f", false)});
    rig.queue.fail_policy(1, 503, "", "Service Unavailable");
    CHECK(rig.queue.find(1)->state == UploadState::RetryWaiting);
    rig.clock.advance(100);
    CHECK(rig.policies.requests.size() == 2);
    rig.queue.fail_policy(1, 403, "", "Forbidden");
    CHECK(rig.queue.find(1)->state == UploadState::Failed);
    CHECK(rig.queue.find(1)->error.code == "PolicyError");
    CHECK(rig.queue.find(1)->error.detail == "Forbidden");
    CHECK(rig.queue.find(1)->error.status == 403);
}

TEST_CASE("same-named files in one signed folder get distinct names") {
    Rig rig;
    rig.queue.enqueue({spec("a.txt", 1), spec("a.txt", 1), spec("a.txt", 1, "file", true, "tmp/s3file/other")});
    std::vector<std::string> keys;
    for (const auto& sent : rig.transport.in_flight) keys.push_back(FakeTransport::field(sent, "key"));
    CHECK(keys == std::vector<std::string>{"tmp/s3file/abc/a.txt", "tmp/s3file/abc/a (2).txt",
                                           "tmp/s3file/other/a.txt"});
    CHECK(rig.transport.in_flight[1].request.body.file.name == "a (2).txt");
}

TEST_CASE("numbering sees every key of the batch, a literal key and many same-named files included") {
    // The same-key check compares key hashes before strings: a key set without ${filename}, or
    // a numbered one, must still count (a missed one would let two files overwrite each other).
    QueueOptions options;
    options.queue_ahead = 64;  // all 43 go out at once
    Rig rig(options);
    UploadSpec literal = spec("other.txt", 1);
    for (auto& field : literal.policy.fields)
        if (field.first == "key") field.second = "tmp/s3file/abc/a (2).txt";
    std::vector<UploadSpec> specs{spec("a.txt", 1), literal, spec("a (3).txt", 1)};
    for (int i = 0; i < 40; ++i) specs.push_back(spec("a.txt", 1));
    rig.queue.enqueue(std::move(specs));
    std::vector<std::string> keys;
    for (const auto& sent : rig.transport.in_flight) keys.push_back(FakeTransport::field(sent, "key"));
    REQUIRE(keys.size() == 43);
    CHECK(keys[0] == "tmp/s3file/abc/a.txt");
    CHECK(keys[1] == "tmp/s3file/abc/a (2).txt");
    CHECK(keys[2] == "tmp/s3file/abc/a (3).txt");
    CHECK(keys[3] == "tmp/s3file/abc/a (4).txt");  // past the literal (2) and the chosen (3)
    CHECK(keys[42] == "tmp/s3file/abc/a (43).txt");
    std::sort(keys.begin(), keys.end());
    CHECK(std::adjacent_find(keys.begin(), keys.end()) == keys.end());  // every key distinct
}

TEST_CASE("a 201 that is not a PostResponse is a clear, final error") {
    Rig rig;
    rig.queue.enqueue({spec("a", 1)});
    rig.transport.respond(rig.transport.take(), 201, "<html>captive portal</html>");
    CHECK(rig.queue.find(1)->state == UploadState::Failed);
    CHECK(rig.queue.find(1)->error.code == "BadReply");
    CHECK(rig.queue.find(1)->error.detail.find("PostResponse") != std::string::npos);
    CHECK(rig.queue.find(1)->error.status == 201);
}

TEST_CASE("204 without a body succeeds with the key that was sent") {
    Rig rig;
    UploadSpec s = spec("a.txt", 1);
    s.policy.fields = {{"key", "x/${filename}"}, {"success_action_status", "204"}};
    rig.queue.enqueue({s});
    rig.transport.respond(rig.transport.take(), 204);
    CHECK(rig.queue.find(1)->result.key == "x/a.txt");
}

TEST_CASE("Ceph RGW's replies: an unquoted ETag is quoted, a missing one is no error") {
    Rig rig;
    UploadSpec s = spec("a.txt", 1);
    rig.queue.enqueue({s, spec("b.txt", 1), spec("c.txt", 1)});
    // 201 without an ETag header and with an unquoted <ETag> (RGW 16).
    rig.transport.respond(rig.transport.take(), 201, post_response("tmp/s3file/abc/a.txt", "0cc175b9c0f1b6a831c399e269772661"));
    CHECK(rig.queue.find(1)->state == UploadState::Succeeded);
    CHECK(rig.queue.find(1)->result.etag == "\"0cc175b9c0f1b6a831c399e269772661\"");
    // 201 whose PostResponse has no ETag at all.
    rig.transport.respond(rig.transport.take(), 201,
                          "<PostResponse><Bucket>b</Bucket><Key>tmp/s3file/abc/b.txt</Key></PostResponse>");
    CHECK(rig.queue.find(2)->state == UploadState::Succeeded);
    CHECK(rig.queue.find(2)->result.etag.empty());
    CHECK(rig.queue.find(2)->result.key == "tmp/s3file/abc/b.txt");
    // An ETag header only (S3 with CORS exposing it), unquoted: quoted too.
    rig.transport.headers = {{"etag", "92eb5ffee6ae2fec3ad71c777531578f"}};
    rig.queue.on_response(rig.transport.take().id, {201, "<PostResponse><Key>tmp/s3file/abc/c.txt</Key></PostResponse>"});
    CHECK(rig.queue.find(3)->result.etag == "\"92eb5ffee6ae2fec3ad71c777531578f\"");
    CHECK(rig.log.of(EventType::BatchSucceeded).size() == 1);
}

TEST_CASE("204 (RGW: no ETag at all) succeeds with an empty ETag") {
    Rig rig;
    UploadSpec s = spec("a.txt", 1);
    s.policy.fields = {{"key", "x/${filename}"}, {"success_action_status", "204"}};
    rig.queue.enqueue({s});
    rig.transport.respond(rig.transport.take(), 204);
    CHECK(rig.queue.find(1)->state == UploadState::Succeeded);
    CHECK(rig.queue.find(1)->result.etag.empty());
}

TEST_CASE("an empty batch succeeds at once and forget releases finished batches") {
    Rig rig;
    const BatchId empty = rig.queue.enqueue({});
    CHECK(rig.queue.batch_finished(empty));
    CHECK(rig.log.of(EventType::BatchSucceeded).size() == 1);
    const BatchId batch = rig.queue.enqueue({spec("a", 1)});
    const UploadId id = rig.queue.uploads_of(batch).at(0);
    rig.queue.forget(batch);  // not finished: kept
    CHECK(rig.queue.find(id) != nullptr);
    rig.transport.respond(rig.transport.take(), 201, post_response("k/a"));
    rig.queue.forget(batch);
    CHECK(rig.queue.find(id) == nullptr);
    CHECK(rig.queue.uploads_of(batch).empty());
}

TEST_CASE("an expired policy from the policy source is renewed once, without reloading") {
    Rig rig;
    rig.queue.enqueue({spec("a", 1, "f", false)});
    rig.queue.provide_policy(1, sample_policy("tmp/s3file/first"));
    const std::string expired = s3_error("AccessDenied", "Invalid according to Policy: Policy expired.");
    rig.transport.respond(rig.transport.take(), 403, expired);
    REQUIRE(rig.policies.requests.size() == 2);  // asked again
    CHECK(rig.queue.find(1)->state == UploadState::Signing);
    rig.queue.provide_policy(1, sample_policy("tmp/s3file/second"));
    auto again = rig.transport.take();
    CHECK(FakeTransport::field(again, "key") == "tmp/s3file/second/a");
    rig.transport.respond(again, 403, expired);  // twice: a real problem, reported
    CHECK(rig.queue.find(1)->state == UploadState::Failed);
    CHECK(rig.queue.find(1)->error.code == "PolicyExpired");
}

TEST_CASE("policies handed in with the files are not renewed") {
    Rig rig;
    rig.queue.enqueue({spec("a", 1)});
    rig.transport.respond(rig.transport.take(), 403, s3_error("AccessDenied", "Invalid according to Policy: Policy expired."));
    CHECK(rig.queue.find(1)->state == UploadState::Failed);
    CHECK(rig.policies.requests.empty());
}

TEST_CASE("next_batch_id predicts the id enqueue returns") {
    Rig rig;
    const BatchId predicted = rig.queue.next_batch_id();
    CHECK(rig.queue.enqueue({spec("a", 1)}) == predicted);
    CHECK(rig.queue.next_batch_id() == predicted + 1);
}

TEST_CASE("a policy refusal with a code is final and keeps its code and limit") {
    Rig rig;
    rig.queue.enqueue({spec("big", 100, "f", false), spec("ok", 1, "f", false)});
    // Status 0 would be retried as a network error; a named refusal is a verdict instead.
    rig.queue.fail_policy(1, 0, "FileTooLarge", "", 50);
    const Upload* upload = rig.queue.find(1);
    CHECK(upload->state == UploadState::Failed);
    CHECK(upload->error.code == "FileTooLarge");
    CHECK(upload->error.limit == 50);
    CHECK(upload->error.status == 0);
    CHECK(rig.log.of(EventType::UploadRetry).empty());
    rig.clock.advance(10000);
    CHECK(rig.policies.requests.size() == 1);
    CHECK(rig.queue.find(1)->state == UploadState::Failed);

    rig.queue.fail_policy(2, 400, "TypeNotAccepted", "image/* only");
    CHECK(rig.queue.find(2)->error.code == "TypeNotAccepted");
    CHECK(rig.queue.find(2)->error.detail == "image/* only");
    CHECK(rig.queue.find(2)->error.limit == 0);
    const auto failed = rig.log.of(EventType::BatchFailed);
    REQUIRE(failed.size() == 1);
    REQUIRE(failed[0].errors.size() == 2);
    CHECK(failed[0].errors[0].second.code == "FileTooLarge");
    CHECK(failed[0].errors[0].second.limit == 50);
}

TEST_CASE("retry sends one failed upload again and the batch reports its end again") {
    Rig rig;
    const BatchId batch = rig.queue.enqueue({spec("a", 1), spec("b", 1)});
    rig.transport.respond(rig.transport.take(), 403, s3_error("AccessDenied", "Denied"));
    rig.transport.respond(rig.transport.take(), 403, s3_error("AccessDenied", "Denied"));
    REQUIRE(rig.log.of(EventType::BatchFailed).size() == 1);
    CHECK(rig.transport.sent_count == 2);

    CHECK(rig.queue.retry(2));
    CHECK_FALSE(rig.queue.batch_finished(batch));
    CHECK(rig.queue.find(1)->state == UploadState::Failed);  // the other one stays as it was
    CHECK(rig.queue.find(2)->error.code.empty());
    REQUIRE(rig.transport.in_flight.size() == 1);
    auto again = rig.transport.take();
    CHECK(again.request.body.file.name == "b");
    CHECK(FakeTransport::field(again, "key") == "tmp/s3file/abc/b");
    rig.transport.respond(again, 201, post_response("tmp/s3file/abc/b"));
    CHECK(rig.transport.sent_count == 3);
    CHECK(rig.transport.in_flight.empty());
    CHECK(rig.queue.find(2)->state == UploadState::Succeeded);
    CHECK(rig.queue.batch_finished(batch));
    const auto failed = rig.log.of(EventType::BatchFailed);
    REQUIRE(failed.size() == 2);  // the end is reported again, now listing only "a"
    REQUIRE(failed[1].errors.size() == 1);
    CHECK(failed[1].errors[0].first == 1);

    // Once the last one succeeds too, the batch succeeds.
    CHECK(rig.queue.retry(1));
    rig.transport.respond(rig.transport.take(), 201, post_response("tmp/s3file/abc/a"));
    REQUIRE(rig.log.of(EventType::BatchSucceeded).size() == 1);
    CHECK(rig.log.of(EventType::BatchSucceeded)[0].batch == batch);
}

TEST_CASE("retry gives a fresh retry budget") {
    Rig rig;
    rig.queue.enqueue({spec("a", 1)});
    for (int attempt = 1; attempt <= 5; ++attempt) {
        rig.transport.fail_network(rig.transport.take());
        rig.clock.advance(6000);
    }
    REQUIRE(rig.queue.find(1)->state == UploadState::Failed);
    REQUIRE(rig.queue.retry(1));
    rig.transport.fail_network(rig.transport.take());
    CHECK(rig.queue.find(1)->state == UploadState::RetryWaiting);
}

TEST_CASE("retry is a no-op for uploads that did not fail or were not canceled") {
    QueueOptions options;
    options.concurrency = 1;
    Rig rig(options);
    const BatchId batch = rig.queue.enqueue({spec("a", 1), spec("b", 1)});
    CHECK_FALSE(rig.queue.retry(2));  // queued
    CHECK_FALSE(rig.queue.retry(1));  // uploading
    CHECK(rig.transport.sent_count == 1);
    rig.transport.respond(rig.transport.take(), 201, post_response("k/a"));
    rig.transport.respond(rig.transport.take(), 201, post_response("k/b"));
    REQUIRE(rig.queue.batch_finished(batch));
    CHECK_FALSE(rig.queue.retry(1));  // succeeded
    CHECK_FALSE(rig.queue.retry(99)); // unknown
    CHECK(rig.queue.batch_finished(batch));
    CHECK(rig.queue.find(1)->result.key == "k/a");
    CHECK(rig.transport.sent_count == 2);
    CHECK(rig.log.of(EventType::BatchSucceeded).size() == 1);
}

TEST_CASE("cancelling one upload leaves the others running; the batch then fails") {
    Rig rig;
    const BatchId batch = rig.queue.enqueue({spec("a", 1), spec("b", 1), spec("c", 1)});
    REQUIRE(rig.transport.in_flight.size() == 3);
    const RequestId b = rig.transport.in_flight[1].id;
    rig.queue.cancel(2);
    CHECK(rig.transport.aborted == std::vector<RequestId>{b});
    CHECK(rig.queue.find(2)->state == UploadState::Canceled);
    CHECK(rig.queue.find(2)->error.code == "Canceled");
    CHECK(rig.queue.find(1)->state == UploadState::Uploading);
    CHECK(rig.queue.find(3)->state == UploadState::Uploading);
    CHECK_FALSE(rig.queue.batch_finished(batch));
    REQUIRE(rig.transport.in_flight.size() == 2);
    rig.transport.respond(rig.transport.take(), 201, post_response("k/a"));
    CHECK(rig.log.of(EventType::BatchFailed).empty());
    rig.transport.respond(rig.transport.take(), 201, post_response("k/c"));
    const auto failed = rig.log.of(EventType::BatchFailed);
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].batch == batch);
    REQUIRE(failed[0].errors.size() == 1);
    CHECK(failed[0].errors[0].first == 2);
    CHECK(failed[0].errors[0].second.code == "Canceled");
    CHECK(rig.log.of(EventType::BatchSucceeded).empty());
}

TEST_CASE("retry sends a canceled upload again") {
    Rig rig;
    const BatchId batch = rig.queue.enqueue({spec("a", 1)});
    const RequestId first = rig.transport.in_flight.front().id;
    rig.queue.cancel(1);
    REQUIRE(rig.log.of(EventType::BatchFailed).size() == 1);
    CHECK(rig.queue.retry(1));
    REQUIRE(rig.transport.in_flight.size() == 1);
    auto again = rig.transport.take();
    CHECK(again.id != first);
    CHECK(rig.queue.find(1)->state == UploadState::Uploading);
    rig.transport.respond(again, 201, post_response("k/a"));
    REQUIRE(rig.log.of(EventType::BatchSucceeded).size() == 1);
    CHECK(rig.log.of(EventType::BatchSucceeded)[0].batch == batch);
}

TEST_CASE("an upload canceled while waiting for its policy asks again when retried") {
    Rig rig;
    rig.queue.enqueue({spec("a", 1, "f", false)});
    REQUIRE(rig.policies.requests.size() == 1);
    rig.queue.cancel(1);
    rig.queue.provide_policy(1, sample_policy());  // the answer arrives too late: dropped
    CHECK(rig.transport.in_flight.empty());
    REQUIRE(rig.queue.retry(1));
    REQUIRE(rig.policies.requests.size() == 2);
    CHECK(rig.policies.requests[1].uploads == std::vector<UploadId>{1});
    rig.queue.provide_policy(1, sample_policy());
    CHECK(rig.transport.in_flight.size() == 1);
}

TEST_CASE("a retried upload whose policy expired may renew it again") {
    Rig rig;
    rig.queue.enqueue({spec("a", 1, "f", false)});
    rig.queue.provide_policy(1, sample_policy("tmp/s3file/first"));
    const std::string expired = s3_error("AccessDenied", "Invalid according to Policy: Policy expired.");
    rig.transport.respond(rig.transport.take(), 403, expired);
    rig.queue.provide_policy(1, sample_policy("tmp/s3file/second"));
    rig.transport.respond(rig.transport.take(), 403, expired);
    REQUIRE(rig.queue.find(1)->state == UploadState::Failed);
    REQUIRE(rig.policies.requests.size() == 2);
    REQUIRE(rig.queue.retry(1));
    rig.transport.respond(rig.transport.take(), 403, expired);
    REQUIRE(rig.policies.requests.size() == 3);
    rig.queue.provide_policy(1, sample_policy("tmp/s3file/third"));
    auto last = rig.transport.take();
    CHECK(FakeTransport::field(last, "key") == "tmp/s3file/third/a");
    rig.transport.respond(last, 201, post_response("tmp/s3file/third/a"));
    CHECK(rig.queue.find(1)->state == UploadState::Succeeded);
}
