// Progress arithmetic as pure functions of per-file counters (style.md "Data, not flags").
#pragma once

#include <cstdint>
#include <vector>

namespace s3file {

/// One file's counters, in file bytes (never multipart envelope bytes).
struct FileProgress {
    std::uint64_t loaded = 0;
    std::uint64_t total = 0;
    bool done = false;  ///< the upload succeeded
};

/// Sum over some files with a 0..1 fraction that is never NaN and exactly 1.0 when all are done.
struct Aggregate {
    std::uint64_t loaded = 0;
    std::uint64_t total = 0;
    double fraction = 0.0;
};

/// File bytes known to be sent, from the bytes of the request body the transport reports sent
/// and that body's total. The browser encodes a form itself, so where its fields end is not
/// known exactly: everything that is not file is counted as coming before it. The figure is a
/// lower bound, short of the truth by the closing boundary (some 50 bytes) at most.
std::uint64_t file_bytes_sent(std::uint64_t envelope_sent, std::uint64_t envelope_total,
                              std::uint64_t file_size);

/// The fraction for one file: defined for empty files, 1.0 once done.
double file_fraction(const FileProgress& file);

/// A running sum over files whose progress changes one file at a time, each change applied as a
/// difference: a figure then costs the same for 10 files as for 10,000 (summing a batch on
/// every event made a 1,000-file batch quadratic). result() is aggregate()'s over the same files.
struct ProgressSum {
    std::uint64_t loaded = 0;  ///< done files count whole, others their bytes up to their size
    std::uint64_t total = 0;
    std::uint32_t files = 0;
    std::uint32_t done = 0;
    void add(const FileProgress& file);
    /// One file's progress went from `was` to `now` (the same file: the same total).
    void change(const FileProgress& was, const FileProgress& now);
    Aggregate result() const;
};

/// Aggregates files; an empty set or only empty files yields 1.0 once all are done, else 0.
Aggregate aggregate(const std::vector<FileProgress>& files);

/// 2^x without libm's exp2, whose 2 KB lookup table would be the largest single item in the
/// wasm every page downloads. Relative error below 1e-15 for |x| < 1000; exact at integers.
double exp2_small(double x);

/// Bytes per second as an exponential moving average with a half-life in time, not in
/// samples, so bursts of progress events do not dominate. 2 s: smooth enough to read,
/// quick enough to follow a change of network.
class SpeedEstimator {
public:
    explicit SpeedEstimator(double half_life_ms = 2000.0) : half_life_ms_(half_life_ms) {}
    /// Feeds the running total of bytes at a clock reading.
    void sample(std::uint64_t now_ms, std::uint64_t loaded);
    /// Smoothed speed; 0 until two samples are apart in time.
    double bytes_per_second() const { return speed_; }
    /// Seconds to transfer `remaining` bytes at the current speed; negative when unknown.
    double eta_seconds(std::uint64_t remaining) const;

private:
    double half_life_ms_;
    bool started_ = false;
    std::uint64_t last_ms_ = 0;
    std::uint64_t last_loaded_ = 0;
    double speed_ = 0.0;
};

/// Rate-limits progress events through the injected clock; 0 lets every event through.
class ProgressThrottle {
public:
    explicit ProgressThrottle(std::uint32_t interval_ms = 0) : interval_ms_(interval_ms) {}
    void set_interval(std::uint32_t interval_ms) { interval_ms_ = interval_ms; }
    /// True when an event at `now_ms` may go out; `force` for final or state-changing events.
    bool admit(std::uint64_t now_ms, bool force);

private:
    std::uint32_t interval_ms_;
    bool emitted_ = false;
    std::uint64_t last_ms_ = 0;
};

}  // namespace s3file
