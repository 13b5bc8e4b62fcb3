#include "emulator/faults.hpp"

#include <chrono>

namespace s3file::server {

namespace {
const char* kind_name(Fault::Kind kind) {
    switch (kind) {
    case Fault::Kind::Status: return "status";
    case Fault::Kind::Reset: return "reset";
    case Fault::Kind::Stall: return "stall";
    case Fault::Kind::Delay: return "delay";
    }
    return "?";
}
}  // namespace

namespace {

// Reads an optional integer field within [low, high]; false with a reason (no exception text).
bool read_integer(const nlohmann::json& json, const char* name, std::int64_t low, std::int64_t high,
                  std::int64_t& out, std::string& error) {
    const auto field = json.find(name);
    if (field == json.end()) return true;
    // nlohmann keeps non-negative integers unsigned; past int64's range they cannot fit anyway.
    const bool whole = field->is_number_integer() &&
                       !(field->is_number_unsigned() && field->get<std::uint64_t>() > static_cast<std::uint64_t>(high));
    if (whole && field->get<std::int64_t>() >= low && field->get<std::int64_t>() <= high) {
        out = field->get<std::int64_t>();
        return true;
    }
    error = std::string(name) + " must be a whole number from " + std::to_string(low) + " to " + std::to_string(high);
    return false;
}

}  // namespace

bool parse_fault(const nlohmann::json& json, Fault& fault, int& count, std::string& error) {
    if (!json.is_object()) {
        error = "a fault is a JSON object";
        return false;
    }
    const auto kind = json.find("kind");
    const std::string name = kind != json.end() && kind->is_string() ? kind->get<std::string>() : "";
    if (name == "status") fault.kind = Fault::Kind::Status;
    else if (name == "reset") fault.kind = Fault::Kind::Reset;
    else if (name == "stall") fault.kind = Fault::Kind::Stall;
    else if (name == "delay") fault.kind = Fault::Kind::Delay;
    else {
        error = "kind must be status, reset, stall or delay";
        return false;
    }
    // Bounded: faults are for tests, and a stall must never outlive a test run.
    std::int64_t status = 503, after_bytes = 0, copies = 1;
    if (!read_integer(json, "status", 100, 599, status, error) ||
        !read_integer(json, "after_bytes", 0, std::int64_t{1} << 50, after_bytes, error) ||
        !read_integer(json, "count", 1, 1000, copies, error))
        return false;
    fault.status = static_cast<int>(status);
    fault.after_bytes = static_cast<std::uint64_t>(after_bytes);
    count = static_cast<int>(copies);
    if (json.contains("seconds")) {
        const auto& seconds = json["seconds"];
        if (!seconds.is_number() || !(seconds.get<double>() >= 0 && seconds.get<double>() <= 120)) {
            error = "seconds must be a number from 0 to 120";
            return false;
        }
        fault.seconds = seconds.get<double>();
    }
    if (json.contains("retry_after")) {
        const auto& retry_after = json["retry_after"];
        if (!retry_after.is_string() && !retry_after.is_number_integer()) {
            error = "retry_after must be a string or a whole number of seconds";
            return false;
        }
        fault.retry_after = retry_after.is_string() ? retry_after.get<std::string>() : retry_after.dump();
    }
    std::int64_t part_number = 0;
    if (!read_integer(json, "part_number", 1, 10000, part_number, error)) return false;
    fault.part_number = static_cast<int>(part_number);
    if (json.contains("filename")) {
        if (!json["filename"].is_string() || json["filename"].get<std::string>().empty()) {
            error = "filename must be a non-empty string";
            return false;
        }
        fault.filename = json["filename"].get<std::string>();
    }
    if (fault.part_number != 0 && !fault.filename.empty()) {
        error = "a fault waits for a filename or a part_number, not both";
        return false;
    }
    if (fault.kind == Fault::Kind::Status && fault.status != 500 && fault.status != 503 && fault.status != 400 &&
        fault.status != 403) {
        error = "status faults are 500 (InternalError), 503 (SlowDown), 400 (RequestTimeout) or 403 (AccessDenied)";
        return false;
    }
    return true;
}

void FaultPlan::push(const Fault& fault, int count) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int i = 0; i < count; ++i) faults_.push_back(fault);
}

bool FaultPlan::push_all(const std::vector<std::pair<Fault, int>>& faults) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t total = faults_.size();
    for (const auto& entry : faults) total += static_cast<std::size_t>(entry.second);
    if (total > kMaxPendingFaults) return false;
    for (const auto& [fault, count] : faults)
        for (int i = 0; i < count; ++i) faults_.push_back(fault);
    return true;
}

std::optional<Fault> FaultPlan::take() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++posts_;
    return take_locked("", 0);
}

std::optional<Fault> FaultPlan::take_for_part(int part_number) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++part_puts_[part_number];
    return take_locked("", part_number);
}

std::size_t FaultPlan::part_puts() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t total = 0;
    for (const auto& entry : part_puts_) total += entry.second;
    return total;
}

std::size_t FaultPlan::part_puts(int part_number) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = part_puts_.find(part_number);
    return it == part_puts_.end() ? 0 : it->second;
}

std::optional<Fault> FaultPlan::take_for_file(const std::string& filename) {
    if (filename.empty()) return std::nullopt;  // empty means "any POST", taken by take()
    std::lock_guard<std::mutex> lock(mutex_);
    return take_locked(filename, 0);
}

std::optional<Fault> FaultPlan::take_locked(const std::string& filename, int part_number) {
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
        if (it->filename != filename || it->part_number != part_number) continue;
        Fault fault = *it;
        faults_.erase(it);
        return fault;
    }
    return std::nullopt;
}

void FaultPlan::clear() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        faults_.clear();
        ++clears_;
    }
    wake_.notify_all();
}

std::size_t FaultPlan::posts() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return posts_;
}

std::size_t FaultPlan::pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return faults_.size();
}

nlohmann::json FaultPlan::describe() const {
    std::lock_guard<std::mutex> lock(mutex_);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& fault : faults_)
        list.push_back({{"kind", kind_name(fault.kind)}, {"status", fault.status},
                        {"retry_after", fault.retry_after}, {"after_bytes", fault.after_bytes},
                        {"seconds", fault.seconds}, {"filename", fault.filename},
                        {"part_number", fault.part_number}});
    nlohmann::json by_number = nlohmann::json::object();
    std::size_t puts = 0;
    for (const auto& [number, count] : part_puts_) {
        by_number[std::to_string(number)] = count;
        puts += count;
    }
    return {{"pending", list}, {"storage_posts", posts_}, {"part_puts", puts}, {"part_puts_by_number", by_number}};
}

bool FaultPlan::sleep(double seconds) {
    std::unique_lock<std::mutex> lock(mutex_);
    const std::uint64_t clears = clears_;
    return !wake_.wait_for(lock, std::chrono::duration<double>(seconds),
                           [&] { return stopping_ || clears_ != clears; });
}

void FaultPlan::shutdown() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
}

}  // namespace s3file::server
