#include "faults.hpp"

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

bool parse_fault(const nlohmann::json& json, Fault& fault, int& count, std::string& error) {
    if (!json.is_object()) {
        error = "a fault is a JSON object";
        return false;
    }
    const std::string kind = json.value("kind", "");
    if (kind == "status") fault.kind = Fault::Kind::Status;
    else if (kind == "reset") fault.kind = Fault::Kind::Reset;
    else if (kind == "stall") fault.kind = Fault::Kind::Stall;
    else if (kind == "delay") fault.kind = Fault::Kind::Delay;
    else {
        error = "kind must be status, reset, stall or delay";
        return false;
    }
    try {
        fault.status = json.value("status", 503);
        fault.retry_after = json.contains("retry_after") ? json["retry_after"].dump() : "";
        if (json.contains("retry_after") && json["retry_after"].is_string())
            fault.retry_after = json["retry_after"].get<std::string>();
        fault.after_bytes = json.value("after_bytes", std::uint64_t{0});
        fault.seconds = json.value("seconds", 0.0);
        fault.filename = json.value("filename", "");
        count = json.value("count", 1);
    } catch (const nlohmann::json::exception& e) {
        error = std::string("bad fault field: ") + e.what();
        return false;
    }
    if (fault.kind == Fault::Kind::Status && fault.status != 500 && fault.status != 503 && fault.status != 400 &&
        fault.status != 403) {
        error = "status faults are 500 (InternalError), 503 (SlowDown), 400 (RequestTimeout) or 403 (AccessDenied)";
        return false;
    }
    if (json.contains("filename") && (!json["filename"].is_string() || fault.filename.empty())) {
        error = "filename must be a non-empty string";
        return false;
    }
    // Bounded: faults are for tests, and a stall must never outlive a test run.
    if (fault.seconds < 0 || fault.seconds > 120 || count < 1 || count > 1000) {
        error = "seconds must be 0..120 and count 1..1000";
        return false;
    }
    return true;
}

void FaultPlan::push(const Fault& fault, int count) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int i = 0; i < count; ++i) faults_.push_back(fault);
}

std::optional<Fault> FaultPlan::take() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++posts_;
    return take_locked("");
}

std::optional<Fault> FaultPlan::take_for_file(const std::string& filename) {
    if (filename.empty()) return std::nullopt;  // empty means "any POST", taken by take()
    std::lock_guard<std::mutex> lock(mutex_);
    return take_locked(filename);
}

std::optional<Fault> FaultPlan::take_locked(const std::string& filename) {
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
        if (it->filename != filename) continue;
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
                        {"seconds", fault.seconds}, {"filename", fault.filename}});
    return {{"pending", list}, {"storage_posts", posts_}};
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
