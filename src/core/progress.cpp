#include "progress.hpp"

#include <cmath>

namespace s3file {

std::uint64_t file_bytes_sent(std::uint64_t envelope_sent, std::uint64_t envelope_total,
                              std::uint64_t file_size) {
    const std::uint64_t overhead = envelope_total > file_size ? envelope_total - file_size : 0;
    if (envelope_sent <= overhead) return 0;
    const std::uint64_t in_file = envelope_sent - overhead;
    return in_file < file_size ? in_file : file_size;
}

double file_fraction(const FileProgress& file) {
    if (file.done) return 1.0;
    if (file.total == 0) return 0.0;
    const std::uint64_t loaded = file.loaded < file.total ? file.loaded : file.total;
    return static_cast<double>(loaded) / static_cast<double>(file.total);
}

namespace {
// What a file adds to a sum's `loaded`: all of it once done, else its bytes up to its size.
std::uint64_t counted_bytes(const FileProgress& file) {
    return file.done ? file.total : (file.loaded < file.total ? file.loaded : file.total);
}
}  // namespace

void ProgressSum::add(const FileProgress& file) {
    total += file.total;
    ++files;
    change({0, file.total, false}, file);
}

void ProgressSum::change(const FileProgress& was, const FileProgress& now) {
    loaded = loaded - counted_bytes(was) + counted_bytes(now);
    done = done - was.done + now.done;
}

Aggregate ProgressSum::result() const {
    Aggregate out{loaded, total, 0.0};
    if (done == files)
        out.fraction = 1.0;
    else if (total > 0)
        out.fraction = static_cast<double>(loaded) / static_cast<double>(total);
    return out;
}

Aggregate aggregate(const std::vector<FileProgress>& files) {
    ProgressSum sum;
    for (const auto& file : files) sum.add(file);
    return sum.result();
}

double exp2_small(double x) {
    if (x < -1000) return 0.0;
    if (x > 1000) x = 1000;
    // x = n + f with f in [0, 1); 2^f = e^(f ln 2) by its Taylor series (y < 0.7: 16 terms
    // reach double precision), then scaled by 2^n exactly.
    const double n = std::floor(x);
    const double y = (x - n) * 0.69314718055994530942;
    double term = 1.0, sum = 1.0;
    for (int k = 1; k <= 16; ++k) {
        term *= y / k;
        sum += term;
    }
    return std::ldexp(sum, static_cast<int>(n));
}

void SpeedEstimator::sample(std::uint64_t now_ms, std::uint64_t loaded) {
    if (!started_) {
        started_ = true;
        last_ms_ = now_ms;
        last_loaded_ = loaded;
        return;
    }
    if (now_ms <= last_ms_) return;  // same instant: fold into the next sample
    const double dt = static_cast<double>(now_ms - last_ms_);
    const double bytes = loaded >= last_loaded_ ? static_cast<double>(loaded - last_loaded_) : 0.0;
    const double instant = bytes * 1000.0 / dt;
    const double alpha = 1.0 - exp2_small(-dt / half_life_ms_);
    speed_ = speed_ == 0.0 ? instant : speed_ + alpha * (instant - speed_);
    last_ms_ = now_ms;
    last_loaded_ = loaded;
}

double SpeedEstimator::eta_seconds(std::uint64_t remaining) const {
    if (remaining == 0) return 0.0;
    if (speed_ <= 0.0) return -1.0;
    return static_cast<double>(remaining) / speed_;
}

bool ProgressThrottle::admit(std::uint64_t now_ms, bool force) {
    if (force || interval_ms_ == 0 || !emitted_ || now_ms - last_ms_ >= interval_ms_) {
        emitted_ = true;
        last_ms_ = now_ms;
        return true;
    }
    return false;
}

}  // namespace s3file
