// Scheduled faults for the storage port, for tests only (served on loopback only): the next N
// storage requests — or the next N uploads of one file name — answer an error status, reset the
// connection, stall, or answer late.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace s3file::server {

/// Faults are for tests; a bounded plan keeps /_faults from growing without limit.
constexpr std::size_t kMaxPendingFaults = 1000;

struct Fault {
    enum class Kind { Status, Reset, Stall, Delay };
    Kind kind = Kind::Status;
    int status = 503;              ///< Status: 500, 503 (SlowDown), 400 (RequestTimeout), 403 (AccessDenied)
    std::string retry_after;       ///< Status: Retry-After header value, if any
    std::uint64_t after_bytes = 0; ///< Reset/Stall: body bytes read first (from the body's start)
    double seconds = 0;            ///< Stall: how long to stop reading; Delay: before answering
    std::string filename;          ///< Only the upload of this file name; empty: the next POST
    int part_number = 0;           ///< Only the next UploadPart PUT of this part number (1..10,000)
};

/// Parses {"kind": "status"|"reset"|"stall"|"delay", "status", "retry_after", "after_bytes",
/// "seconds", "filename" | "part_number", "count"}; `count` copies (default 1). Returns false
/// with a reason.
bool parse_fault(const nlohmann::json& json, Fault& fault, int& count, std::string& error);

/// A thread-safe FIFO of faults; also wakes stalled requests at shutdown.
class FaultPlan {
public:
    void push(const Fault& fault, int count);
    /// Pushes every (fault, count) or, if the plan would then hold more than
    /// kMaxPendingFaults, none of them (false).
    bool push_all(const std::vector<std::pair<Fault, int>>& faults);
    /// Called once per storage POST: the next fault without a file name, if any (also counts
    /// the POST).
    std::optional<Fault> take();
    /// Called when a POST without a fault reaches its file part: the next fault for `filename`.
    /// A name is known only there, so one POST never takes two faults.
    std::optional<Fault> take_for_file(const std::string& filename);
    /// Called once per UploadPart PUT (also counts it): the next fault for this part number.
    std::optional<Fault> take_for_part(int part_number);
    /// Storage POSTs seen so far, so tests can prove that nothing was uploaded twice.
    std::size_t posts() const;
    /// UploadPart PUTs seen so far, in all and of one part number.
    std::size_t part_puts() const;
    std::size_t part_puts(int part_number) const;
    /// Drops every pending fault and ends the stalls in progress.
    void clear();
    std::size_t pending() const;
    nlohmann::json describe() const;
    /// Sleeps up to `seconds`; returns early (false) once clear() or shutdown() was called.
    bool sleep(double seconds);
    void shutdown();

private:
    std::optional<Fault> take_locked(const std::string& filename, int part_number);

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Fault> faults_;
    std::size_t posts_ = 0;
    std::map<int, std::size_t> part_puts_;  // ≤ 10,000 keys: part numbers are bounded
    std::uint64_t clears_ = 0;  // a sleeper wakes when this changes
    bool stopping_ = false;
};

}  // namespace s3file::server
