// Fuzz target: what the app does with a submitted form (src/server/app/form_verifier.*,
// form_receiver.*): normalise_key, verify_key and receive_form with fuzzed keys and signatures.
// Input (text): form fields as "name=value" lines. A value "!sign:<folder>" becomes the valid
// Django signature of <folder>, so signed folders of any shape ("tmp/s3file/a/..", "/tmp/…")
// reach the checks behind the signature. "@name=filename" adds a real file part (the
// no-JavaScript fallback). The store holds kPlantedKey, so "the object exists" is reachable.
// Invariants: an accepted key normalises to a path inside a folder below the upload prefix with
// no '..' segment, and its folder's signature is one of those submitted; normalise_key's output
// is normal (no empty, "." or ".." segment unless reported) and normalising it again changes
// nothing; receive_form answers 201, 400 or 403 and lists only accepted keys.
#include "signing/crypto.hpp"
#include "signing/django_signer.hpp"
#include "app/form_receiver.hpp"
#include "harness.hpp"

using namespace s3file::server;
using namespace s3file::fuzz;
using nlohmann::ordered_json;

namespace {

SubmittedForm form_of(const std::string& input) {
    SubmittedForm form;
    for (auto& [name, value] : parse_field_lines(input)) {
        if (value.rfind("!sign:", 0) == 0) value = django_signature(kFormSecret, kS3FileSalt, value.substr(6));
        if (!name.empty() && name[0] == '@') {
            httplib::MultipartFormData part;
            part.name = name.substr(1);
            part.filename = value;
            part.content = "fallback file " + value;
            form.files.emplace_back(part.name, part);
        } else {
            form.fields.emplace_back(name, value);
        }
    }
    return form;
}

void check_normalised(const std::string& key) {
    bool dotdot = false, absolute = false;
    const std::string path = normalise_key(key, dotdot, absolute);
    expect(path.find('\\') == std::string::npos, "normalised key keeps a backslash", key);
    expect(path.empty() || (path.front() != '/' && path.back() != '/'), "normalised key has an outer '/'", key);
    for (std::size_t from = 0; from < path.size();) {
        std::size_t at = path.find('/', from);
        if (at == std::string::npos) at = path.size();
        const std::string segment = path.substr(from, at - from);
        expect(!segment.empty() && segment != ".", "normalised key has an empty or '.' segment", key);
        expect(segment != ".." || dotdot, "normalised key has an unreported '..'", key);
        from = at + 1;
    }
    bool again_dotdot = false, again_absolute = false;
    expect(normalise_key(path, again_dotdot, again_absolute) == path, "normalise_key is not idempotent", key);
}

std::vector<std::string> signatures_in(const SubmittedForm& form) {
    std::vector<std::string> signatures;
    for (const auto& field : form.fields) signatures.push_back(field.second);
    return signatures;
}

void check_verify_key(const std::string& key, const std::vector<std::string>& signatures) {
    if (!verify_key(key, signatures, kUploadPrefix, kFormSecret).ok) return;
    expect_in_upload_folder(key, kUploadPrefix);
    expect(key.find('\0') == std::string::npos, "accepted key has a NUL", key);
    bool dotdot = false, absolute = false;
    const std::string path = normalise_key(key, dotdot, absolute);
    const std::string expected = django_signature(kFormSecret, kS3FileSalt, path.substr(0, path.rfind('/')));
    expect(std::find(signatures.begin(), signatures.end(), expected) != signatures.end(),
           "accepted key without its folder's signature", key);
}

void check_receive(const SubmittedForm& form, const ObjectStore* store) {
    const ReceiverConfig config{kUploadPrefix, kFormSecret, kBucket, store};
    int status = 0;
    const ordered_json result = receive_form(config, form, status);
    expect(status == 201 || status == 400 || status == 403, "unexpected status", std::to_string(status));
    if (status != 201) {
        expect(result.contains("error") && result["error"].is_string(), "a refusal without an error text");
        return;
    }
    for (const auto& [field, list] : result["files"].items()) {
        for (const auto& entry : list) {
            if (entry["key"].is_null()) continue;  // a real file part, not a key
            const std::string key = entry["key"].get<std::string>();
            expect_in_upload_folder(key, kUploadPrefix);
            if (store != nullptr)
                expect(is_inside(store->root() / kBucket, store->object_path(kBucket, key)),
                       "a received key's object is outside the bucket", key);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Sandbox sandbox;
    static ObjectStore& store = [] () -> ObjectStore& {  // one owner of the folder (its lock) for the run
        static ObjectStore planted(sandbox.root());
        plant_object(planted, kPlantedKey, "planted object\n");
        return planted;
    }();
    const SubmittedForm form = form_of(as_string(data, size));
    const std::vector<std::string> signatures = signatures_in(form);
    for (const auto& field : form.fields) {
        check_normalised(field.second);
        check_verify_key(field.second, signatures);
    }
    check_receive(form, &store);
    check_receive(form, nullptr);  // real S3: nothing to stat
    sandbox.check();
    return 0;
}
