#include <catch2/catch.hpp>

#include <cmath>

#include "progress.hpp"

using namespace s3file;

TEST_CASE("body bytes map to file bytes, never more than were sent") {
    // A 200-byte form around a 50-byte file: whatever is not file counts as before it.
    CHECK(file_bytes_sent(0, 250, 50) == 0);
    CHECK(file_bytes_sent(200, 250, 50) == 0);
    CHECK(file_bytes_sent(220, 250, 50) == 20);
    CHECK(file_bytes_sent(250, 250, 50) == 50);
    CHECK(file_bytes_sent(300, 250, 50) == 50);  // a browser over-reporting is capped
    CHECK(file_bytes_sent(300 + (9ull << 29), (5ull << 30) + 300, 5ull << 30) == 9ull << 29);  // 64-bit sizes
    CHECK(file_bytes_sent((5ull << 30) + 300, (5ull << 30) + 300, 5ull << 30) == 5ull << 30);
    // A body that is the file alone (a part), or a total the browser did not know.
    CHECK(file_bytes_sent(30, 50, 50) == 30);
    CHECK(file_bytes_sent(30, 0, 50) == 30);
}

TEST_CASE("aggregates are sums with a defined fraction") {
    const Aggregate a = aggregate({{10, 100, false}, {50, 100, false}});
    CHECK(a.loaded == 60);
    CHECK(a.total == 200);
    CHECK(a.fraction == Approx(0.3));
}

TEST_CASE("empty files never produce NaN and are exactly 1 when done") {
    const Aggregate pending = aggregate({{0, 0, false}});
    CHECK_FALSE(std::isnan(pending.fraction));
    CHECK(pending.fraction == 0.0);
    CHECK(aggregate({{0, 0, true}}).fraction == 1.0);
    CHECK(aggregate({}).fraction == 1.0);
    CHECK(file_fraction({0, 0, false}) == 0.0);
    CHECK(file_fraction({0, 0, true}) == 1.0);
}

TEST_CASE("done files count fully and the fraction is exactly 1.0 at success") {
    const Aggregate a = aggregate({{3, 3, true}, {7, 7, true}});
    CHECK(a.loaded == 10);
    CHECK(a.fraction == 1.0);
    CHECK(aggregate({{99, 7, false}}).loaded == 7);  // never more than the total
}

TEST_CASE("speed is an EMA with a time half-life and gives an ETA") {
    SpeedEstimator speed(2000.0);
    CHECK(speed.bytes_per_second() == 0.0);
    CHECK(speed.eta_seconds(100) < 0);
    speed.sample(0, 0);
    speed.sample(1000, 1000);  // 1000 B/s
    CHECK(speed.bytes_per_second() == Approx(1000.0));
    speed.sample(3000, 1000);  // idle for one half-life: speed halves towards 0
    CHECK(speed.bytes_per_second() == Approx(500.0));
    CHECK(speed.eta_seconds(1000) == Approx(2.0));
    CHECK(speed.eta_seconds(0) == 0.0);
}

TEST_CASE("the throttle admits at most one event per interval unless forced") {
    ProgressThrottle throttle(100);
    CHECK(throttle.admit(0, false));
    CHECK_FALSE(throttle.admit(50, false));
    CHECK(throttle.admit(50, true));
    CHECK_FALSE(throttle.admit(149, false));
    CHECK(throttle.admit(150, false));
    ProgressThrottle open(0);
    CHECK(open.admit(0, false));
    CHECK(open.admit(0, false));
}

TEST_CASE("exp2_small matches std::exp2 and is exact at integers") {
    for (double x = -60.0; x <= 60.0; x += 0.37) {
        INFO(x);
        CHECK(exp2_small(x) == Approx(std::exp2(x)).epsilon(1e-14));
    }
    CHECK(exp2_small(-1.0) == 0.5);
    CHECK(exp2_small(0.0) == 1.0);
    CHECK(exp2_small(10.0) == 1024.0);
    CHECK(exp2_small(-5000.0) == 0.0);
}
