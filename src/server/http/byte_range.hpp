// The part of a file a GET's Range header asks for, chosen by the server rather than by
// cpp-httplib 0.11: it answered a range past the end with 206 and no body, a range running past
// the end with a Content-Length longer than the file (the connection then cut), and served any
// number of overlapping ranges (about 700 copies of a 1 MiB range in an 8 KB header streamed
// 734 MB). S3 serves one range, answers 416 InvalidRange past the end, and ignores a request
// for several (the whole object, 200), as this does.
#pragma once

#include <cstdint>

#include <httplib.h>

namespace s3file::server {

enum class RangeChoice {
    Whole,          ///< no Range header, or more than one range: the whole file, 200
    Part,           ///< one range, clamped to the file: 206 with Content-Range
    Unsatisfiable,  ///< one range that starts past the end (or asks for 0 bytes): 416
};

struct ByteRange {
    std::uint64_t first = 0;
    std::uint64_t length = 0;
};

/// What to send of a `size`-byte file for cpp-httplib's parsed `ranges` (first/last; -1 where the
/// header left it out: `-500` is {-1, 500}, `500-` is {500, -1}). `part` is set for Part.
RangeChoice choose_range(const httplib::Ranges& ranges, std::uint64_t size, ByteRange& part);

}  // namespace s3file::server
