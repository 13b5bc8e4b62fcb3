// Random fault schedules: whatever the network does, every file ends exactly once, as
// Succeeded or as Failed/Canceled with its error, and no bar moves backwards.
#include <catch2/catch.hpp>

#include <map>

#include "core/fakes.hpp"

using namespace s3file;
using namespace s3file::testing;

namespace {

// The queue keeps its progress sums by differences, change by change; these sum them from scratch.
bool same(const Aggregate& a, const Aggregate& b) {
    return a.loaded == b.loaded && a.total == b.total && a.fraction == b.fraction;
}
bool sums_match(const UploadQueue& queue, BatchId batch) {
    std::vector<FileProgress> all;
    std::map<std::string, std::vector<FileProgress>> by_input;
    for (UploadId id : queue.uploads_of(batch)) {
        const Upload* upload = queue.find(id);
        const FileProgress file{upload->best, upload->spec.file.size, upload->state == UploadState::Succeeded};
        all.push_back(file);
        by_input[upload->spec.input].push_back(file);
    }
    bool match = same(queue.batch_progress(batch), aggregate(all));
    for (const auto& [input, files] : by_input) match = match && same(queue.input_progress(batch, input), aggregate(files));
    return match;
}

void play_one_schedule(std::uint32_t seed) {
    QueueOptions options;
    options.concurrency = 1 + seed % 4;
    options.progress_interval_ms = (seed % 3) * 50;
    Rig rig(options, seed);
    FakeRandom dice(seed * 2654435761u + 1);
    const std::size_t file_count = 1 + dice.next_u32() % 12;
    std::vector<UploadSpec> specs;
    for (std::size_t i = 0; i < file_count; ++i)
        specs.push_back(spec("f" + std::to_string(i % 3) + ".bin", dice.next_u32() % 5000,
                             i % 2 ? "a" : "b", dice.next_u32() % 4 != 0));
    const BatchId batch = rig.queue.enqueue(specs);

    // Bounded: each step either answers something or advances the clock.
    for (int step = 0; step < 20000 && !rig.queue.batch_finished(batch); ++step) {
        if (!sums_match(rig.queue, batch)) FAIL("progress sums drifted at step " << step << ", seed " << seed);
        for (const auto& request : std::vector<FakePolicies::Request>(rig.policies.requests)) {
            for (UploadId id : request.uploads) {
                if (dice.next_u32() % 5 == 0) rig.queue.fail_policy(id, dice.next_u32() % 2 ? 503 : 0, "", "down");
                else rig.queue.provide_policy(id, sample_policy("tmp/s3file/" + std::to_string(id)));
            }
        }
        rig.policies.requests.clear();
        if (rig.transport.in_flight.empty()) {
            std::uint64_t due = 0;
            if (rig.clock.next_due(due)) rig.clock.advance(due);
            continue;
        }
        const auto index = dice.next_u32() % rig.transport.in_flight.size();
        auto sent = rig.transport.in_flight[index];
        const auto body_size = FakeTransport::body_size(sent);
        switch (dice.next_u32() % 9) {
        case 0:
        case 1:
            rig.transport.in_flight.erase(rig.transport.in_flight.begin() + index);
            rig.transport.respond(sent, 201, post_response("k/" + std::to_string(sent.id)));
            break;
        case 2:
            rig.transport.progress(sent, dice.next_u32() % (body_size + 1));
            break;
        case 3:
            rig.transport.in_flight.erase(rig.transport.in_flight.begin() + index);
            rig.transport.fail_network(sent);
            break;
        case 4:
            rig.transport.in_flight.erase(rig.transport.in_flight.begin() + index);
            rig.transport.respond(sent, 503, s3_error("SlowDown", "slow"), dice.next_u32() % 2 ? "2" : "");
            break;
        case 5:
            rig.transport.in_flight.erase(rig.transport.in_flight.begin() + index);
            rig.transport.respond(sent, 400, s3_error("RequestTimeout", "slow client"));
            break;
        case 6:
            if (dice.next_u32() % 4 == 0) {
                rig.transport.in_flight.erase(rig.transport.in_flight.begin() + index);
                rig.transport.respond(sent, 403, s3_error("AccessDenied", "Policy Condition failed"));
            }
            break;
        case 7:
            rig.clock.advance(dice.next_u32() % 40000);  // sometimes long enough to stall
            break;
        case 8:
            if (dice.next_u32() % 10 == 0) rig.queue.cancel(1 + dice.next_u32() % file_count);
            break;
        }
    }
    INFO("seed " << seed);
    REQUIRE(rig.queue.batch_finished(batch));

    std::map<UploadId, int> endings;
    double last_fraction = 0;
    std::uint64_t last_loaded = 0;
    for (const auto& event : rig.log.events) {
        if (event.type == EventType::UploadSucceeded || event.type == EventType::UploadFailed ||
            event.type == EventType::UploadCanceled)
            ++endings[event.upload];
        if (event.upload != 0 && event.batch == batch) {
            CHECK(event.batch_progress.fraction >= last_fraction);
            CHECK(event.batch_progress.loaded >= last_loaded);
            last_fraction = event.batch_progress.fraction;
            last_loaded = event.batch_progress.loaded;
        }
    }
    const auto batch_events = rig.log.of(EventType::BatchSucceeded).size() + rig.log.of(EventType::BatchFailed).size();
    CHECK(batch_events == 1);
    std::size_t not_succeeded = 0;
    for (UploadId id : rig.queue.uploads_of(batch)) {
        const Upload* upload = rig.queue.find(id);
        CHECK(endings[id] == 1);  // never lost, never duplicated
        CHECK(is_terminal(upload->state));
        if (upload->state == UploadState::Succeeded) {
            CHECK_FALSE(upload->result.key.empty());
        } else {
            ++not_succeeded;
            CHECK_FALSE(upload->error.code.empty());
        }
    }
    if (not_succeeded == 0) {
        CHECK(rig.log.of(EventType::BatchSucceeded).size() == 1);
        CHECK(rig.queue.batch_progress(batch).fraction == 1.0);
    } else {
        REQUIRE(rig.log.of(EventType::BatchFailed).size() == 1);
        CHECK(rig.log.of(EventType::BatchFailed)[0].errors.size() == not_succeeded);
    }
    CHECK(rig.queue.active_count() == 0);
    CHECK(rig.clock.pending() == 0);
}

}  // namespace

TEST_CASE("random fault schedules never lose or duplicate a file") {
    for (std::uint32_t seed = 1; seed <= 400; ++seed) play_one_schedule(seed);
}

namespace {

// Answers one pending multipart call or store lookup at random: success, a transient failure
// or (rarely) a refusal. Returns false when none was pending.
bool answer_some_call(Rig& rig, FakeRandom& dice) {
    if (!rig.store.loads.empty()) {
        const auto load = rig.store.loads.front();
        rig.store.loads.pop_front();
        rig.queue.on_resume_loaded(load.first, nullptr);
        return true;
    }
    if (rig.api.calls.empty()) return false;
    const auto call = rig.api.take();
    const auto roll = dice.next_u32() % 10;
    if (roll == 0) {
        rig.queue.on_multipart_failed(call.call, 503, "", "busy");
    } else if (roll == 1 && dice.next_u32() % 4 == 0) {
        rig.queue.on_multipart_failed(call.call, 400, "InvalidPart", "refused");
    } else if (call.what == "create") {
        rig.queue.on_multipart_created(call.call, "k/" + std::to_string(call.call >> 8), "U" + std::to_string(call.call), "s");
    } else if (call.what == "sign") {
        std::vector<SignedPart> urls;
        for (auto n : call.numbers) urls.push_back({n, "http://s3/part?n=" + std::to_string(n)});
        rig.queue.on_parts_signed(call.call, urls, dice.next_u32() % 2 ? 900 : 0);
    } else if (call.what == "complete") {
        for (std::size_t i = 0; i < call.parts.size(); ++i) {
            CHECK(call.parts[i].number == i + 1);  // ascending, every part once
            CHECK_FALSE(call.parts[i].etag.empty());
        }
        rig.queue.on_multipart_completed(call.call, {"", "", "", ""});
    }
    return true;
}

void answer_some_request(Rig& rig, FakeRandom& dice) {
    const auto index = dice.next_u32() % rig.transport.in_flight.size();
    auto sent = rig.transport.in_flight[index];
    const auto erase = [&] { rig.transport.in_flight.erase(rig.transport.in_flight.begin() + index); };
    HttpResponse response;
    switch (dice.next_u32() % 8) {
    case 0:
    case 1:
        erase();
        response.status = sent.request.method == "PUT" ? 200 : 201;
        response.body = sent.request.method == "PUT" ? "" : post_response("k/" + std::to_string(sent.id));
        rig.transport.headers = {{"etag", "\"e" + std::to_string(sent.id) + "\""}};
        rig.queue.on_response(sent.id, response);
        rig.transport.headers.clear();
        break;
    case 2:
    case 3:
        rig.transport.progress(sent, dice.next_u32() % (FakeTransport::body_size(sent) + 1));
        break;
    case 4:
        erase();
        rig.transport.fail_network(sent);
        break;
    case 5:
        erase();
        rig.transport.respond(sent, 503, s3_error("SlowDown", "slow"));
        break;
    case 6:
        erase();
        rig.transport.respond(sent, 403, s3_error("AccessDenied", "Request has expired"));
        break;
    case 7:
        rig.clock.advance(dice.next_u32() % 40000);
        break;
    }
}

// Returns how many multipart files were stored (so the loop is known to reach completion).
int play_multipart_schedule(std::uint32_t seed) {
    QueueOptions options;
    options.concurrency = 1 + seed % 4;
    options.hash_chunk_bytes = 4 * 1024 * 1024;
    options.part_urls_per_request = 1 + seed % 3;
    Rig rig(options, seed);
    FakeRandom dice(seed * 2246822519u + 3);
    const std::size_t file_count = 1 + dice.next_u32() % 5;
    std::vector<UploadSpec> specs;
    for (std::size_t i = 0; i < file_count; ++i) {
        if (dice.next_u32() % 3 == 0)
            specs.push_back(spec("s" + std::to_string(i), dice.next_u32() % 5000));
        else  // 2 parts (hashing dominates the run time)
            specs.push_back(multipart_spec("m" + std::to_string(i), 8 * 1024 * 1024 + 1 + dice.next_u32() % (2 * 1024 * 1024),
                                           static_cast<std::uint32_t>(i + 1)));
    }
    const BatchId batch = rig.queue.enqueue(specs);
    for (int step = 0; step < 20000 && !rig.queue.batch_finished(batch); ++step) {
        const auto roll = dice.next_u32() % 10;
        const UploadId someone = 1 + dice.next_u32() % file_count;
        if (roll == 0 && dice.next_u32() % 8 == 0) {
            rig.queue.cancel(someone);
        } else if (roll == 1 && dice.next_u32() % 4 == 0) {
            rig.queue.pause(someone);
        } else if (roll == 2) {
            rig.queue.resume(someone);
        } else if (roll == 3 && answer_some_call(rig, dice)) {
        } else if (roll == 4 && rig.serve_reads() > 0) {
        } else if (!rig.transport.in_flight.empty()) {
            answer_some_request(rig, dice);
        } else if (!answer_some_call(rig, dice) && rig.serve_reads() == 0) {
            std::uint64_t due = 0;
            if (rig.clock.next_due(due))
                rig.clock.advance(due);
            else
                for (UploadId id = 1; id <= file_count; ++id) rig.queue.resume(id);  // nothing else moves
        }
        for (UploadId id = 1; id <= file_count; ++id) {
            const Upload* upload = rig.queue.find(id);
            CHECK(upload->best <= upload->spec.file.size);  // no byte counted twice
            if (upload->multipart) CHECK(upload->multipart->confirmed <= upload->spec.file.size);
        }
        CHECK(rig.queue.active_count() <= options.concurrency);
        if (!sums_match(rig.queue, batch)) FAIL("progress sums drifted at step " << step << ", seed " << seed);
    }
    INFO("seed " << seed);
    REQUIRE(rig.queue.batch_finished(batch));
    std::map<UploadId, int> endings;
    std::uint64_t last_loaded = 0;
    for (const auto& event : rig.log.events) {
        if (event.type == EventType::UploadSucceeded || event.type == EventType::UploadFailed ||
            event.type == EventType::UploadCanceled)
            ++endings[event.upload];
        if (event.upload != 0) {
            CHECK(event.batch_progress.loaded >= last_loaded);
            last_loaded = event.batch_progress.loaded;
        }
    }
    CHECK(rig.log.of(EventType::BatchSucceeded).size() + rig.log.of(EventType::BatchFailed).size() == 1);
    int stored = 0;
    for (UploadId id = 1; id <= file_count; ++id) {
        const Upload* upload = rig.queue.find(id);
        CHECK(endings[id] == 1);
        CHECK(is_terminal(upload->state));
        if (upload->state == UploadState::Succeeded && upload->multipart) {
            ++stored;
            CHECK(upload->multipart->confirmed == upload->spec.file.size);
            CHECK(upload->multipart->done == upload->multipart->plan.count);
        }
        if (upload->state != UploadState::Succeeded) CHECK_FALSE(upload->error.code.empty());
    }
    CHECK(rig.queue.active_count() == 0);
    CHECK(rig.clock.pending() == 0);
    return stored;
}

}  // namespace

TEST_CASE("random fault schedules with multipart files: each file ends once, no byte counted twice") {
    int stored = 0;
    for (std::uint32_t seed = 1; seed <= 40; ++seed) stored += play_multipart_schedule(seed);
    CHECK(stored >= 10);  // the schedules do reach CompleteMultipartUpload
}
