// Random fault schedules: whatever the network does, every file ends exactly once, as
// Succeeded or as Failed/Canceled with its error, and no bar moves backwards.
#include <catch2/catch.hpp>

#include <map>

#include "core/fakes.hpp"

using namespace s3file;
using namespace s3file::testing;

namespace {

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
        const auto body_size = sent.request.body.content_length();
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
