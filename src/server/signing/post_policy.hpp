// POST policy documents: parsing, evaluation against a submitted form (the emulator) and
// construction (the issuer). Rules: protocol.md §1 and AWS's "POST Policy" reference.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/s3_error.hpp"

namespace s3file::server {

using FormFields = std::vector<std::pair<std::string, std::string>>;

/// A decoded policy document.
struct PolicyDocument {
    std::time_t expiration = 0;
    nlohmann::json conditions = nlohmann::json::array();
    /// The content-length-range, when the policy has one.
    std::optional<std::pair<std::uint64_t, std::uint64_t>> length_range;
};

/// Parses "2026-11-25T12:00:00.000Z" (fractional seconds optional) to UTC seconds.
bool parse_iso8601(const std::string& text, std::time_t& out);
/// Formats UTC seconds with a strftime pattern.
std::string format_utc(std::time_t time, const char* pattern);
/// Formats UTC seconds as "2026-11-25T12:00:00.000Z".
inline std::string format_iso8601(std::time_t time) { return format_utc(time, "%Y-%m-%dT%H:%M:%S.000Z"); }

/// Decodes base64 → JSON → expiration and conditions; failures are InvalidPolicyDocument.
S3Failure parse_policy(const std::string& policy_base64, PolicyDocument& out);

/// Checks expiration, every condition (except the file size) and that every form field is
/// covered by a condition. `fields` are the form fields before the file, in order.
S3Failure evaluate_policy(const PolicyDocument& policy, const FormFields& fields,
                          const std::string& bucket, std::time_t now);

/// Checks the file size against content-length-range.
S3Failure check_length(const PolicyDocument& policy, std::uint64_t size);

/// The value of a form field, exact name; nullptr when absent.
const std::string* form_value(const FormFields& fields, const std::string& name);

}  // namespace s3file::server
