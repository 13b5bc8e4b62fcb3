#include <catch2/catch.hpp>

#include "signing/crypto.hpp"
#include "signing/django_signer.hpp"
#include "server/vectors.hpp"
#include "signing/sigv4.hpp"

using namespace s3file::server;

TEST_CASE("SigV4 POST signature reproduces AWS's published example byte for byte") {
    const auto v = load_vector("aws-sigv4-post-example.json");
    std::string decoded;
    REQUIRE(base64_decode(v["policy_base64"].get<std::string>(), decoded));
    CHECK(decoded == v["policy_json"].get<std::string>());
    CHECK(base64_encode(v["policy_json"].get<std::string>()) == v["policy_base64"].get<std::string>());
    CHECK(sign_post_policy(v["secret_key"], v["date"], v["region"], v["policy_base64"]) ==
          v["expected_signature"].get<std::string>());
    CHECK(sigv4_credential(v["access_key"], v["date"], v["region"]) ==
          v["form_fields_in_example"]["x-amz-credential"].get<std::string>());
}

TEST_CASE("SigV4 signing key matches the presigned-URL example's signature") {
    const auto v = load_vector("aws-sigv4-presigned-url-example.json");
    const std::string key = sigv4_signing_key(v["secret_key"], "20130524", v["region"]);
    CHECK(to_hex(hmac_sha256(key, v["string_to_sign"].get<std::string>())) ==
          v["expected_signature"].get<std::string>());
    // The string to sign carries the canonical request's SHA-256.
    CHECK(v["string_to_sign"].get<std::string>().find(to_hex(sha256(v["canonical_request"].get<std::string>()))) !=
          std::string::npos);
}

TEST_CASE("Django Signer signatures match django.core.signing") {
    const auto v = load_vector("django-signer.json");
    for (const auto& vector : v["vectors"]) {
        INFO(vector["folder"].get<std::string>());
        const std::string signature = django_signature(v["secret_key"], v["salt"], vector["folder"]);
        CHECK(signature == vector["signature"].get<std::string>());
        CHECK(signature.size() == 43);
    }
    CHECK(std::string(kS3FileSalt) == v["salt"].get<std::string>());
}

TEST_CASE("base64 helpers") {
    std::string out;
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    REQUIRE(base64_decode("Zg", out));
    CHECK(out == "f");
    REQUIRE(base64_decode("Zm9vYg==", out));
    CHECK(out == "foob");
    CHECK_FALSE(base64_decode("Zm9v!", out));
    for (const char* bad : {"====", "Z===", "Zg=a", "=Zg=", "Zm9v===="})  // padding only at the end, at most 2
        CHECK_FALSE(base64_decode(bad, out));
    CHECK(base64url_nopad("\xfb\xff") == "-_8");
    CHECK(equal_constant_time("abc", "abc"));
    CHECK_FALSE(equal_constant_time("abc", "abd"));
    CHECK_FALSE(equal_constant_time("abc", "ab"));
}
