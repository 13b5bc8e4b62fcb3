#include <catch2/catch.hpp>

#include "filenames.hpp"

using namespace s3file;

TEST_CASE("${filename} is substituted everywhere in the key") {
    CHECK(substitute_filename("tmp/s3file/x/${filename}", "a.txt") == "tmp/s3file/x/a.txt");
    CHECK(substitute_filename("${filename}/${filename}", "b") == "b/b");
    CHECK(substitute_filename("fixed/key", "a.txt") == "fixed/key");
    CHECK(substitute_filename("p/${filename}", "${filename}") == "p/${filename}");
}

TEST_CASE("numbered names keep the extension") {
    CHECK(numbered_name("a.txt", 2) == "a (2).txt");
    CHECK(numbered_name("archive.tar.gz", 3) == "archive.tar (3).gz");
    CHECK(numbered_name("README", 12) == "README (12)");
    CHECK(numbered_name(".env", 2) == ".env (2)");
}

TEST_CASE("basenames cannot leave the signed folder") {
    CHECK(safe_basename("a/b.txt") == "a_b.txt");
    CHECK(safe_basename("..\\..\\evil") == ".._.._evil");
    CHECK(safe_basename("..") == "_");
    CHECK(safe_basename(".") == "_");
    CHECK(safe_basename("") == "_");
    CHECK(safe_basename("ok name.txt") == "ok name.txt");
}

TEST_CASE("control characters in a name become underscores, as the app server's own keys do") {
    // A tab or newline is legal in a Linux or macOS file name; kept in the key, the store refused it.
    CHECK(safe_basename("report\t2024\n.txt") == "report_2024_.txt");
    CHECK(safe_basename(std::string("a\x01\x1f\x7f", 4) + ".txt") == "a___.txt");
    CHECK(safe_basename("caf\xc3\xa9 \xe2\x98\x83.txt") == "caf\xc3\xa9 \xe2\x98\x83.txt");  // UTF-8 bytes stay
}
