#include "part_plan.hpp"

namespace s3file {

bool plan_parts_with_size(std::uint64_t file_size, std::uint64_t part_size, PartPlan& out) {
    if (file_size > kMaxObjectSize || part_size < kS3MinPartSize) return false;
    const std::uint64_t count = file_size == 0 ? 1 : (file_size + part_size - 1) / part_size;
    if (count > kMaxParts) return false;
    out.part_size = part_size;
    out.count = static_cast<std::uint32_t>(count);
    return true;
}

bool plan_parts(std::uint64_t file_size, PartPlan& out, std::uint64_t min_part_size) {
    if (min_part_size < kS3MinPartSize) min_part_size = kS3MinPartSize;
    if (min_part_size > kS3MaxPartSize) min_part_size = kS3MaxPartSize;
    std::uint64_t size = (file_size + kMaxParts - 1) / kMaxParts;
    if (size < min_part_size) size = min_part_size;
    size = (size + kMiB - 1) / kMiB * kMiB;
    return plan_parts_with_size(file_size, size, out);
}

}  // namespace s3file
