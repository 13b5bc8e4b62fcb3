#include "signing/post_policy.hpp"

#include <cstdio>

#include "signing/crypto.hpp"
#include "http/json_input.hpp"

namespace s3file::server {

using nlohmann::json;

namespace {

// Fields S3 never requires a condition for (AWS "POST Policy": Conditions).
bool exempt_from_conditions(const std::string& name) {
    return name == "x-amz-signature" || name == "file" || name == "policy" ||
           name.rfind("x-ignore-", 0) == 0;
}

S3Failure condition_failed(const json& condition) {
    return s3_failure(403, "AccessDenied",
                      "Invalid according to Policy: Policy Condition failed: " + condition.dump());
}

S3Failure invalid_policy(const std::string& why) {
    return s3_failure(400, "InvalidPolicyDocument", "Invalid Policy: " + why);
}

// Reads a content-length-range bound: S3 accepts numbers and numeric strings.
bool length_bound(const json& value, std::uint64_t& out) {
    if (value.is_number_unsigned()) {
        out = value.get<std::uint64_t>();
        return true;
    }
    if (value.is_number_integer()) {
        if (value.get<std::int64_t>() < 0) return false;
        out = static_cast<std::uint64_t>(value.get<std::int64_t>());
        return true;
    }
    if (value.is_string()) {
        const std::string text = value.get<std::string>();
        if (text.empty() || text.size() > 19) return false;
        out = 0;
        for (char c : text) {
            if (c < '0' || c > '9') return false;
            out = out * 10 + static_cast<std::uint64_t>(c - '0');
        }
        return true;
    }
    return false;
}

// Validates one condition's shape; records the length range. Returns an error text or "".
std::string check_shape(const json& condition, PolicyDocument& out) {
    if (condition.is_object()) {
        if (condition.size() != 1 || !condition.begin().value().is_string())
            return "Each condition object must hold exactly one string field.";
        return "";
    }
    if (!condition.is_array() || condition.empty() || !condition[0].is_string())
        return "Each condition must be an object or an array.";
    const std::string op = condition[0].get<std::string>();
    if (op == "content-length-range") {
        std::uint64_t min = 0, max = 0;
        if (condition.size() != 3 || !length_bound(condition[1], min) || !length_bound(condition[2], max))
            return "Invalid content-length-range condition.";
        out.length_range = std::make_pair(min, max);
        return "";
    }
    if (op != "eq" && op != "starts-with") return "Unknown condition operation: " + op;
    if (condition.size() != 3 || !condition[1].is_string() || !condition[2].is_string())
        return "Condition " + op + " needs a $field and a string value.";
    const std::string field = condition[1].get<std::string>();
    if (field.size() < 2 || field[0] != '$') return "Condition fields must start with $.";
    return "";
}

}  // namespace

bool parse_iso8601(const std::string& text, std::time_t& out) {
    int year, month, day, hour, minute, second;
    char tail[16] = {0};
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%15s", &year, &month, &day, &hour, &minute,
                    &second, tail) < 6)
        return false;
    const std::string rest = tail;
    const bool ok_tail = rest == "Z" || (rest.size() >= 3 && rest[0] == '.' && rest.back() == 'Z' &&
                                         rest.find_first_not_of("0123456789", 1) == rest.size() - 1);
    if (!ok_tail || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return false;
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    out = timegm(&tm);
    return true;
}

std::string format_utc(std::time_t time, const char* pattern) {
    std::tm tm{};
    gmtime_r(&time, &tm);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, pattern, &tm);
    return buffer;
}

S3Failure parse_policy(const std::string& policy_base64, PolicyDocument& out) {
    std::string text;
    if (!base64_decode(policy_base64, text)) return invalid_policy("Invalid Policy: not base64.");
    json document;
    std::string error;
    if (!parse_json_bounded(text, document, error) || !document.is_object()) return invalid_policy("Invalid JSON.");
    const auto expiration = document.find("expiration");
    if (expiration == document.end() || !expiration->is_string())
        return invalid_policy("Policy missing expiration.");
    if (!parse_iso8601(expiration->get<std::string>(), out.expiration))
        return invalid_policy("Invalid 'expiration' value: '" + expiration->get<std::string>() + "'");
    const auto conditions = document.find("conditions");
    if (conditions == document.end() || !conditions->is_array())
        return invalid_policy("Policy missing conditions.");
    out.conditions = *conditions;
    for (const auto& condition : out.conditions) {
        const std::string why = check_shape(condition, out);
        if (!why.empty()) return invalid_policy(why);
    }
    return {};
}

const std::string* form_value(const FormFields& fields, const std::string& name) {
    for (const auto& field : fields)
        if (field.first == name) return &field.second;
    return nullptr;
}

S3Failure evaluate_policy(const PolicyDocument& policy, const FormFields& fields,
                          const std::string& bucket, std::time_t now) {
    if (now > policy.expiration)
        return s3_failure(403, "AccessDenied", "Invalid according to Policy: Policy expired.");
    std::vector<std::string> covered;
    for (const auto& condition : policy.conditions) {
        std::string name, op = "eq", expected;
        if (condition.is_object()) {
            name = condition.begin().key();
            expected = condition.begin().value().get<std::string>();
        } else {
            op = condition[0].get<std::string>();
            if (op == "content-length-range") continue;  // checked on the file (check_length)
            name = condition[1].get<std::string>().substr(1);
            expected = condition[2].get<std::string>();
        }
        if (name == "bucket") {  // the bucket is not a form field: it is the request's target
            if (op == "eq" ? bucket != expected : bucket.rfind(expected, 0) != 0)
                return condition_failed(condition);
            continue;
        }
        covered.push_back(name);
        const std::string* value = form_value(fields, name);
        if (value == nullptr) return condition_failed(condition);
        if (op == "eq" ? *value != expected : value->rfind(expected, 0) != 0)
            return condition_failed(condition);
    }
    for (const auto& field : fields) {
        if (exempt_from_conditions(field.first)) continue;
        bool found = false;
        for (const auto& name : covered) found = found || name == field.first;
        if (!found)
            return s3_failure(403, "AccessDenied",
                              "Invalid according to Policy: Extra input fields: " + field.first);
    }
    return {};
}

S3Failure check_length(const PolicyDocument& policy, std::uint64_t size) {
    if (!policy.length_range) return {};
    const auto [min, max] = *policy.length_range;
    if (size > max) {
        S3Failure failure = s3_failure(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
        failure.extra = {{"ProposedSize", std::to_string(size)}, {"MaxSizeAllowed", std::to_string(max)}};
        return failure;
    }
    if (size < min) {
        S3Failure failure = s3_failure(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size");
        failure.extra = {{"ProposedSize", std::to_string(size)}, {"MinSizeAllowed", std::to_string(min)}};
        return failure;
    }
    return {};
}

}  // namespace s3file::server
