#include "app/companion_s3.hpp"

#include <ctime>
#include <map>

#include "app/file_refusal.hpp"
#include "app/upload_keys.hpp"
#include "http/http_util.hpp"
#include "http/json_input.hpp"

namespace s3file::server {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

// Companion reads JSON bodies with express.json() (100 KB) and Complete's with a 1 MB limit
// ("maybe large upload with a lot of parts", uppy#1945): the same bounds here.
constexpr std::size_t kMaxCreateBody = 100 * 1000;
constexpr std::size_t kMaxCompleteBody = 1000 * 1000;
// One ListParts page holds up to 1,000 parts and an upload up to 10,000: 10 pages, and one
// more to read that the last was the last.
constexpr int kMaxListPages = 11;
// Uppy asks for a few URLs at a time; a whole upload's worth is more than any client needs.
constexpr std::size_t kMaxBatch = 1000;
// S3's upload ids are opaque; AWS's are ~100 characters, Ceph's shorter.
constexpr std::size_t kMaxUploadIdBytes = 1024;

void send_json(httplib::Response& response, int status, const ordered_json& body) {
    response.status = status;
    response.set_content(dump_json(body), "application/json; charset=utf-8");
}

void send_error(httplib::Response& response, int status, const std::string& message) {
    send_json(response, status, {{"error", message}});
}

// The store's refusal in the app's shape: its S3 code kept, its status kept for 4xx.
void send_store_failure(httplib::Response& response, const S3Failure& failure) {
    const int status = failure.status >= 400 && failure.status < 500 ? failure.status : 502;
    send_json(response, status, {{"error", "s3: the store refused: " + failure.code + (failure.message.empty() ? "" : ": " + failure.message)},
                                 {"code", failure.code}});
}

const char kKeyMissing[] = "s3: the object key must be passed as a query parameter. For example: \"?key=abc.jpg\"";
const char kBadPartNumber[] = "s3: the part number must be a number between 1 and 10000.";

int part_number_of(const std::string& text) {
    if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos) return 0;
    const int number = std::stoi(text);
    return number >= 1 && number <= 10000 ? number : 0;
}

// metadata.size, when the client sends one: a whole number of bytes, or its decimal string.
bool metadata_size(const json& metadata, std::uint64_t& size, bool& given) {
    given = false;
    const auto field = metadata.find("size");
    if (field == metadata.end() || field->is_null()) return true;
    given = true;
    if (field->is_number_unsigned()) return (size = field->get<std::uint64_t>()), true;
    if (field->is_string()) {
        const std::string text = field->get<std::string>();
        if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) return false;
        return (size = std::stoull(text)), true;
    }
    return false;
}

// {"parts": [{PartNumber, ETag}, …]}: 1 to 10,000 entries, numbers 1..10,000 (the store checks
// order and ETags).
bool read_parts(const json& body, std::vector<StorePart>& out) {
    const auto parts = body.is_object() ? body.find("parts") : body.end();
    if (parts == body.end() || !parts->is_array() || parts->empty() || parts->size() > 10000) return false;
    for (const json& part : *parts) {
        if (!part.is_object()) return false;
        const auto number = part.find("PartNumber"), etag = part.find("ETag");
        if (number == part.end() || !number->is_number_unsigned() || etag == part.end() || !etag->is_string()) return false;
        const std::uint64_t value = number->get<std::uint64_t>();
        if (value < 1 || value > 10000) return false;
        out.push_back({static_cast<int>(value), 0, etag->get<std::string>()});
    }
    return true;
}

std::string without_quotes(const std::string& etag) {
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') return etag.substr(1, etag.size() - 2);
    return etag;
}

// The parts the client names, each as the store listed it (number, size, ETag); returns 0, or
// the number of a part not listed with the ETag named (S3 compares ETags with or without
// quotes). Completing with exactly these ETags ties a size checked against --max-size to the
// bytes the store assembles: a part uploaded again after the listing (its presigned URL stays
// valid for --expires) has another ETag, and the store's Complete, which checks ETags where it
// freezes the parts, refuses it (InvalidPart). Before, the sizes of one listing were checked
// and the client's ETags completed: a bigger part 1 sent between the two got past the limit.
int pin_parts(const std::vector<StorePart>& wanted, const std::vector<StorePart>& stored, std::vector<StorePart>& pinned) {
    std::map<int, const StorePart*> listed;
    for (const StorePart& part : stored) listed[part.number] = &part;
    for (const StorePart& part : wanted) {
        const auto found = listed.find(part.number);
        if (found == listed.end() || without_quotes(found->second->etag) != without_quotes(part.etag)) return part.number;
        pinned.push_back(*found->second);
    }
    return 0;
}

}  // namespace

void CompanionS3::install(httplib::Server& server) {
    server.Get("/s3/params", [this](const httplib::Request& q, httplib::Response& r) { params(q, r); });
    server.Post("/s3/multipart", [this](const httplib::Request& q, httplib::Response& r, const httplib::ContentReader& c) {
        create(q, r, c);
    });
    server.Get("/s3/multipart/([^/]+)", [this](const httplib::Request& q, httplib::Response& r) { list(q, r); });
    server.Get("/s3/multipart/([^/]+)/batch", [this](const httplib::Request& q, httplib::Response& r) { sign(q, r, true); });
    server.Get("/s3/multipart/([^/]+)/([^/]+)", [this](const httplib::Request& q, httplib::Response& r) { sign(q, r, false); });
    server.Post("/s3/multipart/([^/]+)/complete",
                [this](const httplib::Request& q, httplib::Response& r, const httplib::ContentReader& c) { complete(q, r, c); });
    server.Delete("/s3/multipart/([^/]+)", [this](const httplib::Request& q, httplib::Response& r, const httplib::ContentReader&) {
        abort(q, r);
    });
}

void CompanionS3::params(const httplib::Request& request, httplib::Response& response) {
    const std::string filename = request.get_param_value("filename");
    if (filename.empty()) return send_error(response, 400, "s3: the file name must be given: ?filename=abc.jpg&type=image/jpeg");
    const FileRequest file{filename, 0, request.get_param_value("type"), "file"};
    if (const FileRefusal refusal = check_file(config_.issuer, file))
        return send_json(response, 400, refusal_to_json(refusal, config_.issuer));
    // Companion answers with a concrete key, and Uppy 6 refuses any other ("fields.key must be a
    // concrete object key"): the name goes into the signed folder here instead of S3's ${filename}.
    const std::string key_name = upload_key_name(filename);
    if (key_name.empty() || key_name.size() > kMaxUploadNameBytes)
        return send_error(response, 400, "s3: the file name must be 1 to 255 bytes after its last '/'");
    const IssuedPolicy policy = issue_policy(config_.issuer, config_.public_store(request) + "/" + client_.bucket(), file,
                                             std::time(nullptr));
    ordered_json fields = ordered_json::object();
    for (const auto& [name, value] : policy.fields) {
        fields[name] = value;
        const std::size_t at = name == "key" ? value.rfind("${filename}") : std::string::npos;
        if (at != std::string::npos) fields[name] = value.substr(0, at) + key_name;
    }
    // Uppy posts exactly these fields and the file: the policy's Content-Type condition (open
    // when --accept is not set) needs the field, as Companion's own fields carry it.
    if (!fields.contains("Content-Type")) fields["Content-Type"] = file.type.empty() ? "application/octet-stream" : file.type;
    send_json(response, 200, {{"method", "POST"}, {"url", policy.url}, {"fields", fields},
                              {"expires", config_.issuer.expires_seconds}, {"signature", policy.signature}});
}

void CompanionS3::create(const httplib::Request&, httplib::Response& response, const httplib::ContentReader& reader) {
    std::string text, error;
    json body;
    if (!read_bounded(reader, kMaxCreateBody, text)) return send_error(response, 413, "s3: the body is larger than 100 KB");
    if (!parse_json_bounded(text, body, error)) return send_error(response, 400, error);
    if (!body.is_object()) return send_error(response, 400, "the body must be a JSON object {filename, type, metadata}");
    const auto filename = body.find("filename"), type = body.find("type"), metadata = body.find("metadata");
    if (filename == body.end() || !filename->is_string()) return send_error(response, 400, "s3: filename must be a string");
    if (type == body.end() || !type->is_string()) return send_error(response, 400, "s3: content type must be a string");
    if (metadata != body.end() && !metadata->is_object() && !metadata->is_null())
        return send_error(response, 400, "s3: metadata must be an object");
    std::uint64_t size = 0;
    bool size_given = false;
    if (metadata != body.end() && metadata->is_object() && !metadata_size(*metadata, size, size_given))
        return send_error(response, 400, "s3: metadata.size must be a whole number of bytes");
    IssuerConfig limits = config_.issuer;
    limits.max_size = config_.multipart_max_size;
    const FileRequest file{filename->get<std::string>(), size, type->get<std::string>(), "file"};
    if (const FileRefusal refusal = check_file(limits, file)) return send_json(response, 400, refusal_to_json(refusal, limits));
    IssuedKey issued;
    if (!issue_upload_key(config_.issuer.upload_prefix, config_.issuer.secret, file.name, issued, error))
        return send_error(response, 400, "s3: " + error);
    std::string upload_id;
    if (S3Failure failure = client_.create_upload(issued.key, file.type, upload_id)) return send_store_failure(response, failure);
    send_json(response, 200, {{"key", issued.key}, {"uploadId", upload_id}, {"bucket", client_.bucket()},
                              {"signature", issued.signature}});
}

bool CompanionS3::upload_of(const httplib::Request& request, httplib::Response& response, std::string& key, std::string& id) {
    id = request.matches[1];
    if (!request.has_param("key")) return send_error(response, 400, kKeyMissing), false;
    key = request.get_param_value("key");
    if (id.empty() || id.size() > kMaxUploadIdBytes || id.find_first_of(" \t\r\n") != std::string::npos)
        return send_error(response, 400, "s3: the upload id is malformed"), false;
    const std::string refusal = upload_key_refusal(config_.issuer.upload_prefix, config_.issuer.secret, key);
    if (!refusal.empty()) return send_error(response, 403, "s3: " + refusal), false;
    return true;
}

bool CompanionS3::all_parts(const std::string& key, const std::string& id, httplib::Response& response,
                            std::vector<StorePart>& parts) {
    int marker = 0;
    for (int page_number = 0; page_number < kMaxListPages; ++page_number) {
        StorePartsPage page;
        if (S3Failure failure = client_.list_parts(key, id, marker, 1000, page)) return send_store_failure(response, failure), false;
        parts.insert(parts.end(), page.parts.begin(), page.parts.end());
        if (!page.truncated) return true;
        marker = page.next_marker;
    }
    send_error(response, 502, "s3: the store listed more than 10,000 parts");
    return false;
}

void CompanionS3::list(const httplib::Request& request, httplib::Response& response) {
    std::string key, id;
    std::vector<StorePart> parts;
    if (!upload_of(request, response, key, id) || !all_parts(key, id, response, parts)) return;
    ordered_json listed = ordered_json::array();
    for (const StorePart& part : parts) listed.push_back({{"PartNumber", part.number}, {"Size", part.size}, {"ETag", part.etag}});
    send_json(response, 200, listed);
}

void CompanionS3::sign(const httplib::Request& request, httplib::Response& response, bool batch) {
    std::string key, id;
    if (!upload_of(request, response, key, id)) return;
    std::vector<std::pair<std::string, int>> numbers;
    if (batch) {
        if (!request.has_param("partNumbers"))
            return send_error(response, 400, "s3: the part numbers must be passed as a comma separated query parameter. For example: \"?partNumbers=4,6,7,21\"");
        const std::string list = request.get_param_value("partNumbers");
        for (std::size_t from = 0; from <= list.size() && numbers.size() <= kMaxBatch;) {
            const std::size_t comma = std::min(list.find(',', from), list.size());
            numbers.emplace_back(list.substr(from, comma - from), part_number_of(list.substr(from, comma - from)));
            from = comma + 1;
        }
        if (numbers.size() > kMaxBatch) return send_error(response, 400, "s3: at most 1000 part numbers at once");
    } else {
        numbers.emplace_back(request.matches[2], part_number_of(request.matches[2]));
    }
    for (const auto& entry : numbers)
        if (entry.second == 0) return send_error(response, 400, kBadPartNumber);
    // The upload id must be this key's: the store says so (NoSuchUpload) before anything is signed.
    StorePartsPage probe;
    if (S3Failure failure = client_.list_parts(key, id, 0, 1, probe)) return send_store_failure(response, failure);
    const std::time_t now = std::time(nullptr);
    const std::string store = config_.public_store(request);
    const auto url_for = [&](int number) {
        return client_.presign_part(store, key, id, number, now, config_.issuer.expires_seconds);
    };
    if (!batch) return send_json(response, 200, {{"url", url_for(numbers[0].second)}, {"expires", config_.issuer.expires_seconds}});
    ordered_json urls = ordered_json::object();
    for (const auto& [text, number] : numbers) urls[std::to_string(number)] = url_for(number);
    send_json(response, 200, {{"presignedUrls", urls}});
}

void CompanionS3::complete(const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader) {
    std::string key, id, text, error;
    if (!upload_of(request, response, key, id)) return;
    json body;
    if (!read_bounded(reader, kMaxCompleteBody, text)) return send_error(response, 413, "s3: the body is larger than 1 MB");
    if (!parse_json_bounded(text, body, error)) return send_error(response, 400, error);
    std::vector<StorePart> wanted;
    if (!read_parts(body, wanted)) return send_error(response, 400, "s3: `parts` must be an array of {ETag, PartNumber} objects.");
    // The assembled size, from the store's own record of the parts: over --max-size, the
    // upload is aborted rather than completed. The parts are pinned to the ETags listed here,
    // so the size checked is that of the bytes the store assembles (see pin_parts).
    std::vector<StorePart> stored, pinned;
    if (!all_parts(key, id, response, stored)) return;
    if (const int unlisted = pin_parts(wanted, stored, pinned))
        return send_json(response, 400, {{"error", "s3: part " + std::to_string(unlisted) + " is not stored with that ETag: it was "
                                                   "uploaded again, or never. Complete with the ETags the stored parts' uploads answered."},
                                         {"code", "InvalidPart"}});
    std::uint64_t total = 0;
    for (const StorePart& part : pinned) total += part.size;
    if (total > config_.multipart_max_size) {
        client_.abort(key, id);
        IssuerConfig limits = config_.issuer;
        limits.max_size = config_.multipart_max_size;
        limits.accept.clear();  // the type was checked at creation
        const std::string name = key.substr(key.rfind('/') + 1);
        return send_json(response, 400, refusal_to_json(check_file(limits, FileRequest{name, total, "", "file"}), limits));
    }
    StoreCompleted done;
    if (S3Failure failure = client_.complete(key, id, pinned, done)) return send_store_failure(response, failure);
    // Beyond Companion's shape: the object's ETag, so the page can report it. Ceph RGW 16 answers
    // Complete with an empty <ETag> (docs/rgw.md); its HEAD has the ETag. The object is stored
    // either way: a failed HEAD leaves the ETag empty rather than failing the upload.
    if (done.etag.empty()) client_.head_etag(key, done.etag);
    send_json(response, 200, {{"location", done.location}, {"key", key}, {"bucket", client_.bucket()}, {"etag", done.etag}});
}

void CompanionS3::abort(const httplib::Request& request, httplib::Response& response) {
    std::string key, id;
    if (!upload_of(request, response, key, id)) return;
    if (S3Failure failure = client_.abort(key, id)) return send_store_failure(response, failure);
    send_json(response, 200, json::object());
}

}  // namespace s3file::server
