// The emulator's S3 multipart API over real HTTP: the round trip, every refusal S3 answers,
// ListParts pages, abort, expiry, CORS and faults matched by part number.
#include "server/server_fixture.hpp"
#include "server/s3_signed.hpp"

#include "emulator/multipart_store.hpp"
#include "emulator/multipart_xml.hpp"

namespace {

const std::string kKey = "tmp/s3file/0123/video.bin";
const std::string kPath = "/s3file/" + kKey;

std::string content_md5(const std::string& bytes) {
    StreamDigest md5(StreamDigest::Kind::Md5);
    md5.update(bytes.data(), bytes.size());
    return base64_encode(md5.finish());
}

std::string md5_hex(const std::string& bytes) {
    StreamDigest md5(StreamDigest::Kind::Md5);
    md5.update(bytes.data(), bytes.size());
    return to_hex(md5.finish());
}

std::string pattern(std::size_t size, char seed) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(seed + i * 31 % 251);
    return bytes;
}

struct Multipart {
    Running& running;
    SignedS3 s3{running.server->s3_port()};

    std::string create(const std::string& path = kPath) {
        auto res = s3.send("POST", path, {{"uploads", ""}});
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return xml_text(res->body, "UploadId");
    }
    httplib::Result put_part(const std::string& id, int number, const std::string& bytes, const std::string& md5 = "",
                             std::int64_t expires = 600, std::time_t now = std::time(nullptr)) {
        const std::string url = s3.presigned("PUT", kPath, {{"partNumber", std::to_string(number)}, {"uploadId", id}},
                                             expires, now);
        httplib::Headers headers;
        if (!md5.empty()) headers.emplace("Content-MD5", md5);
        return running.s3->Put(url.c_str(), headers, bytes, "application/octet-stream");
    }
    std::string complete_xml(const std::vector<std::pair<int, std::string>>& parts) {
        std::string xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
        for (const auto& [number, etag] : parts)
            xml += "<Part><ETag>" + etag + "</ETag><PartNumber>" + std::to_string(number) + "</PartNumber></Part>";
        return xml + "</CompleteMultipartUpload>";
    }
    httplib::Result complete(const std::string& id, const std::vector<std::pair<int, std::string>>& parts) {
        return s3.send("POST", kPath, {{"uploadId", id}}, complete_xml(parts));
    }
};

}  // namespace

TEST_CASE("Multipart round trip: create, presigned parts with Content-MD5, list, complete, read back") {
    Running running;
    Multipart mp{running};
    const std::string id = mp.create();
    CHECK(is_upload_id(id));
    const std::string part1 = pattern(kMinPartBytes, 'a'), part2 = pattern(1000, 'z');
    auto r1 = mp.put_part(id, 1, part1, content_md5(part1));
    REQUIRE(r1);
    REQUIRE(r1->status == 200);
    CHECK(r1->get_header_value("ETag") == "\"" + md5_hex(part1) + "\"");
    auto r2 = mp.put_part(id, 2, part2);
    REQUIRE(r2);
    REQUIRE(r2->status == 200);

    auto listed = mp.s3.send("GET", kPath, {{"uploadId", id}});
    REQUIRE(listed);
    CHECK(listed->status == 200);
    CHECK(listed->body.find("<Size>1000</Size>") != std::string::npos);
    CHECK(xml_text(listed->body, "IsTruncated") == "false");
    CHECK(running.s3->Get(kPath.c_str())->status == 404);  // nothing visible before Complete

    auto done = mp.complete(id, {{1, r1->get_header_value("ETag")}, {2, r2->get_header_value("ETag")}});
    REQUIRE(done);
    REQUIRE(done->status == 200);
    // S3's multipart ETag, computed here independently of the store.
    std::string digests;
    for (const std::string* part : {&part1, &part2}) {
        StreamDigest md5(StreamDigest::Kind::Md5);
        md5.update(part->data(), part->size());
        digests += md5.finish();
    }
    CHECK(xml_text(done->body, "ETag") == "&quot;" + md5_hex(digests) + "-2&quot;");
    auto object = running.s3->Get(kPath.c_str());
    REQUIRE(object);
    CHECK(object->status == 200);
    CHECK(object->body == part1 + part2);
    CHECK(object->get_header_value("ETag") == "\"" + md5_hex(digests) + "-2\"");
    // The upload's folder is gone; a second Complete finds no upload.
    CHECK(fs::is_empty(running.root / ".multipart"));
    check_s3_error(mp.complete(id, {{1, r1->get_header_value("ETag")}}), 404, "NoSuchUpload");
}

TEST_CASE("Multipart refusals are S3's: signatures, digests, part numbers, order, ETags, sizes") {
    Running running;
    Multipart mp{running};
    const std::string id = mp.create();

    SECTION("unsigned, wrongly signed, expired") {
        check_s3_error(running.s3->Post((kPath + "?uploads").c_str(), "", "application/xml"), 403, "AccessDenied");
        check_s3_error(mp.s3.send("POST", kPath, {{"uploads", ""}}, "", true), 403, "SignatureDoesNotMatch");
        check_s3_error(running.s3->Put((kPath + "?partNumber=1&uploadId=" + id).c_str(), "x", "text/plain"), 403, "AccessDenied");
        check_s3_error(mp.put_part(id, 1, "x", "", 60, std::time(nullptr) - 120), 403, "AccessDenied");
        SignedS3 stranger{running.server->s3_port(), {"AKIATESTTESTTESTTEST", "another secret", ""}};
        check_s3_error(stranger.send("GET", kPath, {{"uploadId", id}}), 403, "SignatureDoesNotMatch");
        check_s3_error(mp.s3.send("GET", kPath, {{"uploadId", id}}, "", false, std::time(nullptr) - 3600), 403,
                       "RequestTimeTooSkewed");
    }
    SECTION("Content-MD5 mismatched or malformed; part numbers out of range; unknown uploads") {
        check_s3_error(mp.put_part(id, 1, "abc", content_md5("abd")), 400, "BadDigest");
        check_s3_error(mp.put_part(id, 1, "abc", "not base64!"), 400, "InvalidDigest");
        check_s3_error(mp.put_part(id, 1, "abc", base64_encode("short")), 400, "InvalidDigest");
        check_s3_error(mp.put_part(id, 0, "abc"), 400, "InvalidArgument");
        check_s3_error(mp.put_part(id, 10001, "abc"), 400, "InvalidArgument");
        check_s3_error(mp.put_part(std::string(32, 'f'), 1, "abc"), 404, "NoSuchUpload");
        check_s3_error(mp.put_part("../../etc", 1, "abc"), 404, "NoSuchUpload");
        // The upload belongs to its key: another key with the same id finds nothing.
        check_s3_error(mp.s3.send("GET", "/s3file/other/key", {{"uploadId", id}}), 404, "NoSuchUpload");
        auto listed = mp.s3.send("GET", kPath, {{"uploadId", id}});
        REQUIRE(listed);
        CHECK(listed->body.find("<Part>") == std::string::npos);  // nothing refused was kept
    }
    SECTION("Complete: order, ETags, sizes, XML") {
        const std::string small = "tiny", big = pattern(kMinPartBytes, 'q');
        const std::string e1 = mp.put_part(id, 1, small)->get_header_value("ETag");
        const std::string e2 = mp.put_part(id, 2, small)->get_header_value("ETag");
        const std::string e3 = mp.put_part(id, 3, big)->get_header_value("ETag");
        check_s3_error(mp.complete(id, {{2, e2}, {1, e1}}), 400, "InvalidPartOrder");
        check_s3_error(mp.complete(id, {{1, e1}, {1, e1}}), 400, "InvalidPartOrder");
        check_s3_error(mp.complete(id, {{1, e2 == e1 ? "\"00\"" : e2}}), 400, "InvalidPart");
        check_s3_error(mp.complete(id, {{4, e1}}), 400, "InvalidPart");
        check_s3_error(mp.complete(id, {{1, e1}, {3, e3}}), 400, "EntityTooSmall");
        check_s3_error(mp.s3.send("POST", kPath, {{"uploadId", id}}, "<CompleteMultipartUpload></CompleteMultipartUpload>"),
                       400, "MalformedXML");
        check_s3_error(mp.s3.send("POST", kPath, {{"uploadId", id}}, "not xml"), 400, "MalformedXML");
        check_s3_error(mp.s3.send("POST", kPath, {{"uploadId", id}}, std::string(kMaxCompleteXmlBytes + 1, ' ')), 400,
                       "MalformedXML");
        CHECK(running.s3->Get(kPath.c_str())->status == 404);
        // The refusals left the upload usable: the last part may be small.
        auto done = mp.complete(id, {{3, e3}});
        REQUIRE(done);
        CHECK(done->status == 200);
        CHECK(running.s3->Get(kPath.c_str())->body == big);
    }
    SECTION("keys that could leave storage are refused") {
        check_s3_error(mp.s3.send("POST", "/s3file/a/../../b", {{"uploads", ""}}), 400, "InvalidArgument");
        check_s3_error(mp.s3.send("POST", "/s3file/a\\b", {{"uploads", ""}}), 400, "InvalidArgument");
    }
}

TEST_CASE("ListParts pages with max-parts and part-number-marker; abort removes everything") {
    Running running;
    Multipart mp{running};
    const std::string id = mp.create();
    for (int n : {5, 1, 3, 2, 4}) REQUIRE(mp.put_part(id, n, "part " + std::to_string(n))->status == 200);
    std::vector<std::string> numbers;
    std::string marker = "0";
    for (int page = 0; page < 10; ++page) {
        auto res = mp.s3.send("GET", kPath, {{"uploadId", id}, {"max-parts", "2"}, {"part-number-marker", marker}});
        REQUIRE(res);
        REQUIRE(res->status == 200);
        for (std::size_t at = 0; (at = res->body.find("<PartNumber>", at)) != std::string::npos; ++at)
            numbers.push_back(res->body.substr(at + 12, res->body.find('<', at + 12) - at - 12));
        CHECK(xml_text(res->body, "MaxParts") == "2");
        if (xml_text(res->body, "IsTruncated") == "false") break;
        marker = xml_text(res->body, "NextPartNumberMarker");
    }
    CHECK(numbers == std::vector<std::string>{"1", "2", "3", "4", "5"});

    auto aborted = mp.s3.send("DELETE", kPath, {{"uploadId", id}});
    REQUIRE(aborted);
    CHECK(aborted->status == 204);
    CHECK(fs::is_empty(running.root / ".multipart"));
    check_s3_error(mp.s3.send("GET", kPath, {{"uploadId", id}}), 404, "NoSuchUpload");
    check_s3_error(mp.s3.send("DELETE", kPath, {{"uploadId", id}}), 404, "NoSuchUpload");
    CHECK(running.files_in_storage() == 0);
}

TEST_CASE("Incomplete uploads expire with their parts; the sweep also runs at start") {
    const fs::path root = fs::temp_directory_path() / ("s3file-expiry-" + random_token(6));
    struct Cleanup {
        fs::path root;
        ~Cleanup() { fs::remove_all(root); }
    } cleanup{root};
    const std::time_t t0 = 1'700'000'000;
    std::string kept_id;
    {
        ObjectStore store(root);
        MultipartStore uploads(store, 3600, t0);
        UploadInfo old_upload, young_upload;
        REQUIRE_FALSE(uploads.create("s3file", "a/old", "", t0, old_upload));
        REQUIRE_FALSE(uploads.create("s3file", "a/young", "", t0 + 1800, young_upload));
        auto pending = uploads.begin_part();
        REQUIRE(pending->write("bytes", 5));
        ObjectInfo info;
        REQUIRE(pending->close(info));
        REQUIRE_FALSE(uploads.store_part(old_upload, 1, *pending, info));
        CHECK(uploads.sweep(t0 + 3599) == 0);
        CHECK(uploads.sweep(t0 + 3600) == 1);  // the old one, with its part
        CHECK_FALSE(uploads.find(old_upload.id, "a/old"));
        CHECK(uploads.find(young_upload.id, "a/young"));
        kept_id = young_upload.id;
    }
    ObjectStore store(root);
    MultipartStore restarted(store, 3600, t0 + 5400);  // start-up sweep
    CHECK_FALSE(restarted.find(kept_id, "a/young"));
    CHECK(fs::is_empty(root / ".multipart"));
}

TEST_CASE("Faults match a part by number: a reset mid-part, counted PUTs, a retry that succeeds") {
    Running running;
    Multipart mp{running};
    const std::string id = mp.create();
    Fault reset;
    reset.kind = Fault::Kind::Reset;
    reset.part_number = 2;
    reset.after_bytes = 64 * 1024;
    running.server->faults().push(reset, 1);
    const std::string bytes = pattern(1 << 20, 'm');
    REQUIRE(mp.put_part(id, 1, bytes)->status == 200);
    auto cut = mp.put_part(id, 2, bytes);
    CHECK_FALSE(cut);  // the connection was reset mid-body
    auto again = mp.put_part(id, 2, bytes);
    REQUIRE(again);
    CHECK(again->status == 200);
    CHECK(running.server->faults().part_puts(2) == 2);
    CHECK(running.server->faults().part_puts(1) == 1);
    CHECK(running.server->faults().part_puts() == 3);
    const json described = running.server->faults().describe();
    CHECK(described["part_puts_by_number"]["2"] == 2);

    Fault slow_down;
    slow_down.part_number = 3;
    running.server->faults().push(slow_down, 1);
    check_s3_error(mp.put_part(id, 3, "x"), 503, "SlowDown");
    CHECK(mp.put_part(id, 3, "x")->status == 200);
}

TEST_CASE("Storage CORS allows PUT and DELETE and exposes ETag") {
    Running running;
    httplib::Headers preflight{{"Origin", "http://127.0.0.1:9"}, {"Access-Control-Request-Method", "PUT"},
                               {"Access-Control-Request-Headers", "content-md5"}};
    auto res = running.s3->Options((kPath + "?partNumber=1&uploadId=x").c_str(), preflight);
    REQUIRE(res);
    CHECK(res->status == 200);
    const std::string methods = res->get_header_value("Access-Control-Allow-Methods");
    CHECK(methods.find("PUT") != std::string::npos);
    CHECK(methods.find("DELETE") != std::string::npos);
    CHECK(res->get_header_value("Access-Control-Allow-Headers") == "content-md5");
    CHECK(res->get_header_value("Access-Control-Expose-Headers").find("ETag") != std::string::npos);
}

TEST_CASE("Part faults parse from /_faults JSON: part_number 1..10000, not with a filename") {
    Fault fault;
    int count = 0;
    std::string error;
    REQUIRE(parse_fault(json{{"kind", "reset"}, {"part_number", 3}, {"after_bytes", 1000}}, fault, count, error));
    CHECK(fault.part_number == 3);
    CHECK(fault.after_bytes == 1000);
    CHECK_FALSE(parse_fault(json{{"kind", "reset"}, {"part_number", 0}}, fault, count, error));
    CHECK_FALSE(parse_fault(json{{"kind", "reset"}, {"part_number", 10001}}, fault, count, error));
    CHECK_FALSE(parse_fault(json{{"kind", "reset"}, {"part_number", "3"}}, fault, count, error));
    CHECK_FALSE(parse_fault(json{{"kind", "reset"}, {"part_number", 3}, {"filename", "a.txt"}}, fault, count, error));
    CHECK(error == "a fault waits for a filename or a part_number, not both");
    // A part fault never reaches a POST Object; a POST fault never reaches a part.
    FaultPlan plan;
    Fault post_fault, part_fault;
    part_fault.part_number = 2;
    plan.push(part_fault, 1);
    CHECK_FALSE(plan.take());
    CHECK_FALSE(plan.take_for_part(1));
    plan.push(post_fault, 1);
    CHECK_FALSE(plan.take_for_part(3));
    CHECK(plan.take_for_part(2));
    CHECK(plan.take());
}
