#include "app/form_receiver.hpp"

#include "signing/crypto.hpp"
#include "app/form_verifier.hpp"

namespace s3file::server {

using nlohmann::ordered_json;

namespace {

std::vector<std::string> values_of(const SubmittedForm& form, const std::string& name) {
    std::vector<std::string> values;
    for (const auto& field : form.fields)
        if (field.first == name) values.push_back(field.second);
    return values;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
    for (const auto& item : list)
        if (item == value) return true;
    return false;
}

ordered_json refusal(int& status, int code, const std::string& message) {
    status = code;
    return {{"error", message}};
}

}  // namespace

SubmittedForm read_form(const httplib::Request& request) {
    SubmittedForm form;
    if (request.is_multipart_form_data()) {
        for (const auto& entry : request.files) {
            // A file input left empty arrives as filename="" with a type and no bytes; Django
            // receives no file for it (cpp-httplib cannot tell filename="" from no filename).
            const auto& part = entry.second;
            if (part.filename.empty() && !part.content_type.empty() && part.content.empty()) continue;
            if (part.filename.empty())
                form.fields.emplace_back(entry.first, part.content);
            else
                form.files.emplace_back(entry.first, part);
        }
    } else {
        for (const auto& entry : request.params) form.fields.emplace_back(entry.first, entry.second);
    }
    return form;
}

ordered_json receive_form(const ReceiverConfig& config, const SubmittedForm& form, int& status) {
    const std::vector<std::string> s3_fields = values_of(form, "s3file");
    ordered_json files = ordered_json::object();
    for (const auto& field : s3_fields) {
        const std::vector<std::string> signatures = values_of(form, field + "-s3f-signature");
        if (signatures.empty())
            return refusal(status, 403, "No signature was submitted for '" + field + "'.");
        ordered_json list = ordered_json::array();
        for (const auto& key : values_of(form, field)) {
            const KeyVerdict verdict = verify_key(key, signatures, config.upload_prefix, config.secret);
            if (!verdict.ok) return refusal(status, 403, "Refused key '" + key + "' for '" + field + "': " + verdict.reason + ".");
            bool dotdot = false, absolute = false;
            const std::string path = normalise_key(key, dotdot, absolute);
            ordered_json entry = {{"key", path}, {"name", path.substr(path.rfind('/') + 1)}};
            if (config.store != nullptr) {
                const auto info = config.store->stat(config.bucket, path);
                if (!info) return refusal(status, 400, "The uploaded object '" + path + "' does not exist.");
                entry["size"] = info->size;
                entry["sha256"] = info->sha256;
            }
            list.push_back(entry);
        }
        files[field] = list;
    }
    // Files posted the plain way (the no-JavaScript fallback) are received like Django would.
    for (const auto& part : form.files) {
        if (!files.contains(part.first)) files[part.first] = ordered_json::array();
        files[part.first].push_back({{"key", nullptr},
                                     {"name", part.second.filename},
                                     {"size", part.second.content.size()},
                                     {"sha256", to_hex(sha256(part.second.content))}});
    }
    ordered_json fields = ordered_json::object();
    for (const auto& field : form.fields) {
        static const std::string suffix = "-s3f-signature";
        const bool signature = field.first.size() > suffix.size() &&
                               field.first.compare(field.first.size() - suffix.size(), suffix.size(), suffix) == 0;
        const bool bookkeeping = field.first == "s3file" || contains(s3_fields, field.first) || signature;
        if (bookkeeping) continue;
        if (!fields.contains(field.first)) fields[field.first] = ordered_json::array();
        fields[field.first].push_back(field.second);
    }
    status = 201;
    return {{"fields", fields}, {"files", files}};
}

}  // namespace s3file::server
