#include "part_plan.hpp"

namespace s3file {

namespace {
/// S3's smallest part (all but the last).
constexpr std::uint64_t kS3MinPartSize = 5 * kMiB;
}  // namespace

bool plan_parts_with_size(std::uint64_t file_size, std::uint64_t part_size, PartPlan& out) {
    if (file_size > kMaxObjectSize || part_size < kS3MinPartSize) return false;
    const std::uint64_t count = file_size == 0 ? 1 : (file_size + part_size - 1) / part_size;
    if (count > kMaxParts) return false;
    out.part_size = part_size;
    out.count = static_cast<std::uint32_t>(count);
    return true;
}

bool plan_parts(std::uint64_t file_size, PartPlan& out) {
    std::uint64_t size = (file_size + kMaxParts - 1) / kMaxParts;
    if (size < kMinPartSize) size = kMinPartSize;
    size = (size + kMiB - 1) / kMiB * kMiB;
    return plan_parts_with_size(file_size, size, out);
}

}  // namespace s3file
