// How a file is cut into S3 multipart parts (protocol.md §1 "Limits"; AWS's "Amazon S3
// multipart upload limits": 1–10,000 parts, 5 MiB–5 GiB each but the last, objects ≤ 5 TiB).
#pragma once

#include <cstdint>

namespace s3file {

constexpr std::uint64_t kMiB = 1024 * 1024;
/// 8 MiB: the part size of the AWS CLI and boto3's transfer manager (multipart_chunksize),
/// above S3's 5 MiB minimum for every part but the last.
constexpr std::uint64_t kMinPartSize = 8 * kMiB;
/// S3 accepts at most 10,000 parts per upload.
constexpr std::uint32_t kMaxParts = 10000;
/// S3's largest object: 5 TiB.
constexpr std::uint64_t kMaxObjectSize = 5 * 1024 * 1024 * kMiB;
/// Files from this size go through multipart by default: 100 MiB, where AWS recommends
/// considering multipart; below it one POST is as fast and costs one round trip.
constexpr std::uint64_t kDefaultMultipartThreshold = 100 * kMiB;

/// Part size and count for a file; the last part holds the remainder.
struct PartPlan {
    std::uint64_t part_size = 0;
    std::uint32_t count = 0;

    std::uint64_t offset_of(std::uint32_t index) const { return index * part_size; }
    /// Bytes of part `index` (0-based) of a file of `file_size` bytes.
    std::uint64_t size_of(std::uint32_t index, std::uint64_t file_size) const {
        const std::uint64_t rest = file_size - offset_of(index);
        return rest < part_size ? rest : part_size;
    }
};

/// S3's smallest part (all but the last) and largest part.
constexpr std::uint64_t kS3MinPartSize = 5 * kMiB;
constexpr std::uint64_t kS3MaxPartSize = 5 * 1024 * kMiB;

/// max(min_part_size, ceil(size / 10,000)) rounded up to a whole MiB, where min_part_size (the
/// page's choice, default 8 MiB) is held within S3's 5 MiB–5 GiB. False for files beyond 5 TiB
/// (S3 refuses them: EntityTooLarge). An empty file is one empty part.
bool plan_parts(std::uint64_t file_size, PartPlan& out, std::uint64_t min_part_size = kMinPartSize);

/// The plan for a given part size (a resumed upload keeps the size it started with); false
/// when that size cannot cover the file in 10,000 parts or is below S3's 5 MiB minimum.
bool plan_parts_with_size(std::uint64_t file_size, std::uint64_t part_size, PartPlan& out);

}  // namespace s3file
