// Fuzz target: POST policy parsing and evaluation (src/server/signing/post_policy.*, post_verifier.*).
// Input (text): form fields as "name=value" lines, an empty line, then the policy document's
// JSON. The harness base64-encodes the policy and signs it validly with the fuzz identity, so
// every input reaches the evaluation instead of stopping at the signature check. A "file=" line
// is the file part's filename (it is not a field before the file); fields the input gives
// itself win over the harness's x-amz-* fields (the verifier reads a field's first value).
// Invariants: an accepted form whose key passes check_object_key is stored inside
// <store>/<bucket>; check_length agrees with the policy's content-length-range.
#include <limits>

#include "signing/crypto.hpp"
#include "filenames.hpp"
#include "harness.hpp"
#include "emulator/post_verifier.hpp"
#include "signing/sigv4.hpp"

using namespace s3file;
using namespace s3file::server;
using namespace s3file::fuzz;

namespace {

// The credential's date and the x-amz-date the seeds' policies name; the clock stands at kNow.
const std::string kDate = "20260101";
const std::string kDateTime = "20260101T000000Z";

std::time_t now() {
    static const std::time_t at = [] {
        std::time_t t = 0;
        parse_iso8601("2026-06-01T00:00:00Z", t);
        return t;
    }();
    return at;
}

// The date the verifier will derive the signing key from: the credential's second part.
std::string signing_date(const FormFields& fields) {
    const std::string* credential = form_value(fields, "x-amz-credential");
    const std::size_t a = credential->find('/');
    if (a == std::string::npos) return kDate;
    const std::size_t b = credential->find('/', a + 1);
    return credential->substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
}

void check_length_agrees(const PolicyDocument& policy) {
    for (std::uint64_t size : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{1} << 20,
                               std::numeric_limits<std::uint64_t>::max()}) {
        const bool ok = !check_length(policy, size);
        const bool want = !policy.length_range ||
                          (size >= policy.length_range->first && size <= policy.length_range->second);
        expect(ok == want, "check_length disagrees with content-length-range", std::to_string(size));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Sandbox sandbox;  // object_path only computes paths: nothing is written
    static const ObjectStore store(sandbox.root());
    const auto [head, policy_json] = split_at_blank_line(as_string(data, size));

    // The raw text as a policy field too: base64 decoding of arbitrary bytes.
    PolicyDocument raw;
    parse_policy(policy_json, raw);

    FormFields fields;
    std::string filename = "photo.jpg";
    for (auto& field : parse_field_lines(head)) {
        if (field.first == "file") filename = field.second;
        else fields.push_back(std::move(field));
    }
    const std::string policy = base64_encode(policy_json);
    fields.emplace_back("x-amz-algorithm", "AWS4-HMAC-SHA256");
    fields.emplace_back("x-amz-credential", sigv4_credential(kAccessKey, kDate, kRegion));
    fields.emplace_back("x-amz-date", kDateTime);
    fields.emplace_back("policy", policy);
    fields.emplace_back("x-amz-signature",
                        sign_post_policy(kSecretKey, signing_date(fields), kRegion, *form_value(fields, "policy")));

    PolicyDocument document;
    const BucketConfig config{kBucket, kRegion, {kAccessKey, kSecretKey, ""}};
    if (verify_post_form(config, fields, now(), document)) return 0;
    check_length_agrees(document);
    const std::string key = substitute_filename(*form_value(fields, "key"), filename);
    if (check_object_key(key)) return 0;  // refused with 400 before anything is stored
    const fs::path path = store.object_path(kBucket, key);
    expect(!path.empty(), "a checked key has no object path", key);
    expect(is_inside(sandbox.bucket_dir(), path), "an accepted key is stored outside the bucket", key);
    return 0;
}
