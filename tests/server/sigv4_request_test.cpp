#include <catch2/catch.hpp>

#include "server/vectors.hpp"
#include "signing/post_policy.hpp"
#include "signing/sigv4_request.hpp"

using namespace s3file::server;

namespace {
// 2013-05-24T00:00:00Z, the date of AWS's published examples.
std::time_t aws_example_time() {
    std::time_t t = 0;
    REQUIRE(parse_iso8601("2013-05-24T00:00:00Z", t));
    return t;
}
}  // namespace

TEST_CASE("Presigned URL reproduces AWS's query-parameter example byte for byte") {
    const auto v = load_vector("aws-sigv4-presigned-url-example.json");
    const Credentials credentials{v["access_key"], v["secret_key"], ""};
    const std::string query = presign_query(credentials, v["region"], v["method"], v["host"], v["path"], {},
                                            aws_example_time(), v["expires"].get<std::int64_t>());
    const std::string url = "https://" + v["host"].get<std::string>() + v["path"].get<std::string>() + "?" + query;
    CHECK(url == v["presigned_url"].get<std::string>());

    // The same request rebuilt for the verifier's side: its canonical form and string to sign.
    SignableRequest request{v["method"], v["path"], {}, {{"Host", v["host"]}}, kUnsignedPayload};
    request.query = {{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
                     {"X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"},
                     {"X-Amz-Date", "20130524T000000Z"}, {"X-Amz-Expires", "86400"},
                     {"X-Amz-SignedHeaders", "host"}};
    CHECK(canonical_request(request) == v["canonical_request"].get<std::string>());
    CHECK(sigv4_string_to_sign("20130524T000000Z", "us-east-1", canonical_request(request)) ==
          v["string_to_sign"].get<std::string>());
    CHECK(sigv4_request_signature(v["secret_key"], "20130524T000000Z", "us-east-1", request) ==
          v["expected_signature"].get<std::string>());
}

TEST_CASE("Authorization header reproduces AWS's GET Object example (header-based SigV4)") {
    // AWS S3 API reference, "Signature Calculations for the Authorization Header", Example: GET Object.
    SignableRequest request;
    request.method = "GET";
    request.path = "/test.txt";
    request.headers = {{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"}};
    request.payload_hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";  // SHA-256 of ""
    const NameValues added = sign_request_headers({"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""},
                                                  "us-east-1", request, aws_example_time());
    REQUIRE(added.size() == 3);
    CHECK(added[0] == std::make_pair(std::string("x-amz-date"), std::string("20130524T000000Z")));
    CHECK(added[1].first == "x-amz-content-sha256");
    CHECK(added[2].second ==
          "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
          "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
          "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST_CASE("SigV4 canonical pieces: encoding, query order, header trimming, session token") {
    CHECK(sigv4_uri_encode("a b/c~d+é", true) == "a%20b/c~d%2B%C3%A9");
    CHECK(sigv4_uri_encode("a/b", false) == "a%2Fb");
    // Sorted by encoded name, then value; a name without value signs as "name=".
    CHECK(canonical_query({{"uploadId", "x/y"}, {"partNumber", "2"}, {"uploads", ""}}) ==
          "partNumber=2&uploadId=x%2Fy&uploads=");
    SignableRequest request{"PUT", "/b/k", {}, {{"X-Amz-Date", " 1  2 "}, {"Host", "h"}}, "UNSIGNED-PAYLOAD"};
    CHECK(canonical_request(request) == "PUT\n/b/k\n\nhost:h\nx-amz-date:1 2\n\nhost;x-amz-date\nUNSIGNED-PAYLOAD");
    // Temporary credentials: the token is signed as a query parameter (presign) or a header.
    const Credentials temporary{"AK", "SK", "TOKEN/+="};
    const std::string query = presign_query(temporary, "eu-west-1", "PUT", "h:1", "/b/k", {{"partNumber", "1"}},
                                            aws_example_time(), 60);
    CHECK(query.find("X-Amz-Security-Token=TOKEN%2F%2B%3D") != std::string::npos);
    // Byte order: upper-case X-Amz-* sort before the request's own lower-case parameters.
    CHECK(query.find("X-Amz-Algorithm=") == 0);
    CHECK(query.find("&partNumber=1&X-Amz-Signature=") != std::string::npos);
    CHECK(query.rfind("&X-Amz-Signature=") == query.size() - 64 - 17);
    const SignableRequest put{"PUT", "/b/k", {}, {{"Host", "h"}}, "UNSIGNED-PAYLOAD"};
    const NameValues headers = sign_request_headers(temporary, "eu-west-1", put, aws_example_time());
    CHECK(headers.back().second.find("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,") !=
          std::string::npos);
}
