#include <catch2/catch.hpp>

#include "s3_response.hpp"

using namespace s3file;

TEST_CASE("a 201 PostResponse yields key, ETag and location") {
    const std::string body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<PostResponse><Location>https://b.s3.amazonaws.com/tmp%2Fa%26b.txt</Location>"
        "<Bucket>b</Bucket><Key>tmp/a&amp;b &lt;1&gt; &#233;&#x263A;.txt</Key>"
        "<ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag></PostResponse>\n";
    PostResult result;
    std::string error;
    REQUIRE(parse_post_response(body, result, error));
    CHECK(result.key == "tmp/a&b <1> \xC3\xA9\xE2\x98\xBA.txt");
    CHECK(result.etag == "\"d41d8cd98f00b204e9800998ecf8427e\"");
    CHECK(result.location == "https://b.s3.amazonaws.com/tmp%2Fa%26b.txt");
    CHECK(result.bucket == "b");
}

TEST_CASE("Ceph RGW's 201: no ETag header, an unquoted <ETag>") {
    // As RGW 16.2.15 answers a POST Object (no Location, the ETag without quotes).
    const std::string body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><PostResponse><Bucket>s3file-rgw</Bucket>"
        "<Key>tmp/s3file/x/a.txt</Key><ETag>d41d8cd98f00b204e9800998ecf8427e</ETag></PostResponse>";
    PostResult result;
    std::string error;
    REQUIRE(parse_post_response(body, result, error));
    CHECK(result.key == "tmp/s3file/x/a.txt");
    CHECK(result.etag == "d41d8cd98f00b204e9800998ecf8427e");  // as sent; the queue quotes it
    CHECK(result.location.empty());
}

TEST_CASE("ETags are quoted as S3 quotes them, none stays none") {
    const auto quoted = [](std::string etag) {
        quote_etag(etag);
        return etag;
    };
    CHECK(quoted("d41d8cd98f00b204e9800998ecf8427e") == "\"d41d8cd98f00b204e9800998ecf8427e\"");
    CHECK(quoted("\"d41d8cd98f00b204e9800998ecf8427e\"") == "\"d41d8cd98f00b204e9800998ecf8427e\"");
    CHECK(quoted("W/\"abc\"") == "W/\"abc\"");
    CHECK(quoted("abc-2") == "\"abc-2\"");
    CHECK(quoted("").empty());
}

TEST_CASE("an Error document yields code, message and size limit") {
    const std::string body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>EntityTooLarge</Code>"
        "<Message>Your proposed upload exceeds the maximum allowed size</Message>"
        "<ProposedSize>20</ProposedSize><MaxSizeAllowed>10</MaxSizeAllowed>"
        "<RequestId>X</RequestId><HostId>Y</HostId></Error>";
    S3Error parsed;
    std::string error;
    REQUIRE(parse_s3_error(body, parsed, error));
    CHECK(parsed.code == "EntityTooLarge");
    CHECK(parsed.message == "Your proposed upload exceeds the maximum allowed size");
    CHECK(parsed.max_size_allowed == "10");
    CHECK(parsed.min_size_allowed.empty());
}

TEST_CASE("an EntityTooSmall Error yields its lower size limit") {
    const std::string body =
        "<Error><Code>EntityTooSmall</Code>"
        "<Message>Your proposed upload is smaller than the minimum allowed size</Message>"
        "<ProposedSize>0</ProposedSize><MinSizeAllowed>1</MinSizeAllowed></Error>";
    S3Error parsed;
    std::string error;
    REQUIRE(parse_s3_error(body, parsed, error));
    CHECK(parsed.code == "EntityTooSmall");
    CHECK(parsed.min_size_allowed == "1");
    CHECK(parsed.max_size_allowed.empty());
}

TEST_CASE("malformed bodies are clear errors, never crashes") {
    const char* bodies[] = {
        "",
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        "not xml at all",
        "<?xml version=\"1.0\"?><PostResponse><Key>tmp/a.txt</Key>",  // truncated
        "<?xml version=\"1.0\"?><PostResponse><Key>tmp/a.txt</Ke",
        "<PostResponse><Key></Key></PostResponse>",
        "<PostResponse><Bucket>b</Bucket></PostResponse>",
        "<PostResponseX><Key>k</Key></PostResponseX>",
        "<PostResponse><Key>a &bogus; b</Key></PostResponse>",
        "<PostResponse><Key>a &#0; b</Key></PostResponse>",
        "<PostResponse><Key>a <b>x</b></Key></PostResponse>",
        "<PostResponse><Key>k</Key></PostResponse> trailing",
        "<?xml version=\"1.0\"",
        "<",
    };
    for (const char* body : bodies) {
        PostResult result;
        std::string error;
        INFO(body);
        CHECK_FALSE(parse_post_response(body, result, error));
        CHECK_FALSE(error.empty());
    }
    S3Error parsed;
    std::string error;
    CHECK_FALSE(parse_s3_error("<html>503</html>", parsed, error));
    CHECK_FALSE(error.empty());
    CHECK_FALSE(parse_s3_error("<Error><Message>m</Message></Error>", parsed, error));
}

TEST_CASE("an Error without a message still gives its code") {
    S3Error parsed;
    std::string error;
    REQUIRE(parse_s3_error("<Error><Code>SlowDown</Code></Error>", parsed, error));
    CHECK(parsed.code == "SlowDown");
    CHECK(parsed.message.empty());
}
