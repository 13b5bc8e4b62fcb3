#include <catch2/catch.hpp>

#include "body_plan.hpp"
#include "core/fakes.hpp"

using namespace s3file;
using s3file::testing::SequenceRandom;

namespace {
FileRef file(const std::string& name, std::uint64_t size, const std::string& type = "text/plain") {
    FileRef f;
    f.handle = 9;
    f.name = name;
    f.size = size;
    f.type = type;
    return f;
}
}  // namespace

TEST_CASE("body plan renders fields then the file part, byte for byte") {
    const BodyPlan plan = build_body_plan_with_boundary(
        {{"key", "tmp/${filename}"}, {"success_action_status", "201"}}, "file", file("a.txt", 5), "XyZ");
    CHECK(plan.head ==
          "--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\ntmp/${filename}\r\n"
          "--XyZ\r\nContent-Disposition: form-data; name=\"success_action_status\"\r\n\r\n201\r\n"
          "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
          "Content-Type: text/plain\r\n\r\n");
    CHECK(plan.tail == "\r\n--XyZ--\r\n");
    CHECK(plan.content_type == "multipart/form-data; boundary=XyZ");
    CHECK(plan.has_file);
    CHECK(plan.file.handle == 9);
    CHECK(plan.content_length() == plan.head.size() + 5 + plan.tail.size());
}

TEST_CASE("quotes, CR and LF in names and filenames are percent-escaped like browsers do") {
    const BodyPlan plan = build_body_plan_with_boundary(
        {{"we\"ird\r\nname", "v"}}, "fi\"le", file("evil\".txt\r\nX-Injected: 1", 0), "B");
    CHECK(plan.head ==
          "--B\r\nContent-Disposition: form-data; name=\"we%22ird%0D%0Aname\"\r\n\r\nv\r\n"
          "--B\r\nContent-Disposition: form-data; name=\"fi%22le\"; "
          "filename=\"evil%22.txt%0D%0AX-Injected: 1\"\r\nContent-Type: text/plain\r\n\r\n");
}

TEST_CASE("UTF-8 filenames pass through unchanged") {
    const std::string name = "r\xC3\xA9sum\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC.pdf";
    const BodyPlan plan = build_body_plan_with_boundary({}, "file", file(name, 1, "application/pdf"), "B");
    CHECK(plan.head == "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name +
                           "\"\r\nContent-Type: application/pdf\r\n\r\n");
}

TEST_CASE("a zero-byte file still gets a complete file part") {
    const BodyPlan plan = build_body_plan_with_boundary({{"k", "v"}}, "file", file("empty", 0), "B");
    CHECK(plan.content_length() == plan.head.size() + plan.tail.size());
    CHECK(plan.head + plan.tail ==
          "--B\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nv\r\n"
          "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"empty\"\r\n"
          "Content-Type: text/plain\r\n\r\n\r\n--B--\r\n");
}

TEST_CASE("sizes beyond 4 GiB are counted in 64 bits") {
    const std::uint64_t size = 5ull * 1024 * 1024 * 1024 + 3;  // 5 GiB + 3
    const BodyPlan plan = build_body_plan_with_boundary({}, "file", file("big.bin", size), "B");
    CHECK(plan.content_length() == size + plan.head.size() + plan.tail.size());
    CHECK(plan.content_length() > 0xFFFFFFFFull);
}

TEST_CASE("missing or header-breaking types fall back to application/octet-stream") {
    CHECK(build_body_plan_with_boundary({}, "file", file("x", 1, ""), "B").head.find(
              "Content-Type: application/octet-stream\r\n") != std::string::npos);
    const BodyPlan injected =
        build_body_plan_with_boundary({}, "file", file("x", 1, "text/plain\r\nX-Evil: 1"), "B");
    CHECK(injected.head.find("X-Evil") == std::string::npos);
}

TEST_CASE("random boundaries are long, alphanumeric and drawn from the random port") {
    SequenceRandom random({0, 1, 2, 61});
    const std::string boundary = make_boundary(random);
    CHECK(boundary.size() >= 40);
    CHECK(boundary.size() <= 70);
    CHECK(boundary == "----s3fileABC9ABC9ABC9ABC9ABC9ABC9ABC9ABC9");
    s3file::testing::FakeRandom other(3);
    CHECK(make_boundary(other) != make_boundary(other));
}

TEST_CASE("the boundary is drawn again when it occurs in a field") {
    // The first boundary drawn is all 'A'; a field containing it forces a second draw.
    SequenceRandom random({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                           0, 0, 0, 0, 0, 0, 0, 0, 1});
    const std::string first = "----s3file" + std::string(32, 'A');
    const BodyPlan plan = build_body_plan({{"x", first}}, "file", file("f", 1), random);
    CHECK(plan.content_type.find(first) == std::string::npos);
    CHECK(plan.head.find("--" + first + "\r\n") == std::string::npos);
}
