#include "http/byte_range.hpp"

#include <algorithm>

namespace s3file::server {

RangeChoice choose_range(const httplib::Ranges& ranges, std::uint64_t size, ByteRange& part) {
    if (ranges.size() != 1) return RangeChoice::Whole;
    const auto [first, last] = ranges.front();
    if (first < 0 && last < 0) return RangeChoice::Whole;
    if (first < 0) {
        // A suffix: the last `last` bytes, all of them when the file is shorter.
        if (last == 0 || size == 0) return RangeChoice::Unsatisfiable;
        const std::uint64_t length = std::min<std::uint64_t>(static_cast<std::uint64_t>(last), size);
        part = {size - length, length};
        return RangeChoice::Part;
    }
    const auto from = static_cast<std::uint64_t>(first);
    if (from >= size) return RangeChoice::Unsatisfiable;
    if (last >= 0 && static_cast<std::uint64_t>(last) < from) return RangeChoice::Whole;  // invalid: ignored (RFC 9110 §14.2)
    const std::uint64_t to = last < 0 ? size - 1 : std::min<std::uint64_t>(static_cast<std::uint64_t>(last), size - 1);
    part = {from, to - from + 1};
    return RangeChoice::Part;
}

}  // namespace s3file::server
