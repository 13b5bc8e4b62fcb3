// Part sizing at S3's limits: 8 MiB parts up to 80,000 MiB, then larger whole-MiB parts so
// that no file needs more than 10,000, up to 5 TiB.
#include <catch2/catch.hpp>

#include "part_plan.hpp"

using namespace s3file;

namespace {
constexpr std::uint64_t kGiB = 1024 * kMiB;
constexpr std::uint64_t kTiB = 1024 * kGiB;

PartPlan plan(std::uint64_t size) {
    PartPlan out;
    REQUIRE(plan_parts(size, out));
    return out;
}

// The parts cover the file exactly: no byte twice, none left out; only the last is short.
void check_covers(const PartPlan& p, std::uint64_t size) {
    std::uint64_t sum = 0;
    for (std::uint32_t i = 0; i < p.count; ++i) {
        if (i + 1 < p.count) CHECK(p.size_of(i, size) == p.part_size);
        CHECK(p.offset_of(i) == sum);
        sum += p.size_of(i, size);
    }
    CHECK(sum == size);
}
}  // namespace

TEST_CASE("exactly 8 MiB is one part; one byte more is two") {
    PartPlan p = plan(8 * kMiB);
    CHECK(p.part_size == 8 * kMiB);
    CHECK(p.count == 1);
    p = plan(8 * kMiB + 1);
    CHECK(p.part_size == 8 * kMiB);
    CHECK(p.count == 2);
    CHECK(p.size_of(1, 8 * kMiB + 1) == 1);
    check_covers(p, 8 * kMiB + 1);
}

TEST_CASE("8 MiB parts reach 10,000 parts at 80,000 MiB, then parts grow by whole MiB") {
    PartPlan p = plan(80000 * kMiB);
    CHECK(p.part_size == 8 * kMiB);
    CHECK(p.count == kMaxParts);
    p = plan(80000 * kMiB + 1);  // ceil(size / 10,000) is just above 8 MiB: rounded up to 9 MiB
    CHECK(p.part_size == 9 * kMiB);
    CHECK(p.count == 8889);
    check_covers(p, 80000 * kMiB + 1);
}

TEST_CASE("80 GiB: ceil(size / 10,000) rounded up to 9 MiB, within 10,000 parts") {
    const std::uint64_t size = 80 * kGiB;
    const PartPlan p = plan(size);
    CHECK(p.part_size == 9 * kMiB);
    CHECK(p.count == 9103);  // ceil(81,920 MiB / 9 MiB)
    check_covers(p, size);
}

TEST_CASE("5 TiB is the largest file: 525 MiB parts; a byte more is refused") {
    const PartPlan p = plan(5 * kTiB);
    CHECK(p.part_size == 525 * kMiB);  // ceil(5 TiB / 10,000) = 524.29 MiB, rounded up
    CHECK(p.count == 9987);
    CHECK(p.count <= kMaxParts);
    check_covers(p, 5 * kTiB);
    PartPlan out;
    CHECK_FALSE(plan_parts(5 * kTiB + 1, out));
    CHECK_FALSE(plan_parts(UINT64_MAX, out));
}

TEST_CASE("no size up to 5 TiB needs more than 10,000 parts") {
    for (std::uint64_t size = 1; size <= 5 * kTiB; size = size * 3 + 12345) {
        const PartPlan p = plan(size);
        INFO("size " << size);
        CHECK(p.count <= kMaxParts);
        CHECK(p.part_size % kMiB == 0);
        CHECK(p.part_size >= kMinPartSize);
        CHECK(p.offset_of(p.count - 1) < size);  // no empty trailing part
    }
}

TEST_CASE("empty and tiny files are one part") {
    CHECK(plan(0).count == 1);
    CHECK(plan(1).count == 1);
}

TEST_CASE("a resumed upload's part size is kept when it still fits S3's limits") {
    PartPlan p;
    REQUIRE(plan_parts_with_size(100 * kMiB, 16 * kMiB, p));
    CHECK(p.count == 7);
    CHECK_FALSE(plan_parts_with_size(100 * kMiB, 4 * kMiB, p));          // below S3's 5 MiB
    CHECK_FALSE(plan_parts_with_size(80000 * kMiB + 1, 8 * kMiB, p));    // 10,001 parts
}

TEST_CASE("a page's part size is the smallest part: held within S3's 5 MiB to 5 GiB, whole MiB") {
    PartPlan p;
    REQUIRE(plan_parts(256 * kMiB, p, 32 * kMiB));
    CHECK(p.part_size == 32 * kMiB);
    CHECK(p.count == 8);
    REQUIRE(plan_parts(256 * kMiB, p, 1));  // below S3's minimum: 5 MiB
    CHECK(p.part_size == 5 * kMiB);
    REQUIRE(plan_parts(256 * kMiB, p, 5 * kMiB + 1));  // rounded up to a whole MiB
    CHECK(p.part_size == 6 * kMiB);
    REQUIRE(plan_parts(6 * kTiB / 2, p, 100 * kGiB));  // above S3's maximum: 5 GiB
    CHECK(p.part_size == 5 * kGiB);
    check_covers(p, 6 * kTiB / 2);
    REQUIRE(plan_parts(5 * kTiB, p, 16 * kMiB));  // a file that needs bigger parts still gets them
    CHECK(p.part_size == 525 * kMiB);
}
