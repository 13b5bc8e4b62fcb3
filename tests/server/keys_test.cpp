#include <catch2/catch.hpp>

#include <filesystem>

#include "app/form_verifier.hpp"
#include "signing/django_signer.hpp"
#include "emulator/object_store.hpp"
#include "server/vectors.hpp"

using namespace s3file::server;

TEST_CASE("object keys that could leave the storage folder are refused S3-style") {
    const std::string bad[] = {"", "../etc/passwd", "a/../../b", "/etc/passwd", "a\\..\\b", "a/./b",
                               "a//b", "dir/", std::string("a\0b", 3), "a\nb", std::string(1025, 'k'),
                               ".", "..", "a\xff.txt", "a\xC0\xAF", "\xED\xA0\x80", "caf\xC3"};
    for (const auto& key : bad) {
        INFO(key);
        const S3Failure failure = check_object_key(key);
        CHECK(failure.status == 400);
        CHECK((failure.code == "InvalidArgument" || failure.code == "KeyTooLongError"));
    }
    CHECK(check_object_key(std::string(1025, 'k')).code == "KeyTooLongError");
    CHECK(check_object_key("a\xff.txt").message == "The object key is not valid UTF-8.");
    // Long segments are fine: S3 takes any 1024 bytes, and the store hashes keys into paths.
    for (const std::string& good : std::vector<std::string>{"a", "tmp/s3file/x/a b.txt", "tmp/\xC3\xA9t\xC3\xA9.pdf", "..a/b..", "a/.hidden",
                                   "a/" + std::string(300, 'x') + "/b", std::string("\xF0\x9F\x93\x84.txt")})
        CHECK_FALSE(check_object_key(good));
}

TEST_CASE("stored paths stay inside the bucket folder") {
    const auto root = std::filesystem::temp_directory_path() / "s3file-keys-test";
    ObjectStore store(root);
    CHECK(store.object_path("b", "../x").empty());
    CHECK(store.object_path("b", "/abs").empty());
    CHECK(store.object_path("..", "x").empty());
    // Keys are hashed into two levels of hex folders under the bucket: nothing a key says
    // reaches the path, and "a" and "a/b" never compete for one name.
    const auto bucket = std::filesystem::absolute(root).lexically_normal() / "b";
    for (const std::string& key : std::vector<std::string>{"tmp/a.txt", "tmp/a.txt/b", "x/../..", "a/" + std::string(300, 'x')}) {
        const auto path = store.object_path("b", key);
        if (path.empty()) continue;  // refused keys have no path
        INFO(key);
        CHECK(path.parent_path().parent_path() == bucket);
        CHECK(path.filename().string().size() == 64);
        CHECK(path.filename().string().find_first_not_of("0123456789abcdef") == std::string::npos);
    }
    CHECK(store.object_path("b", "tmp/a.txt") != store.object_path("b", "tmp/a.txt/b"));
    std::filesystem::remove_all(root);
}

TEST_CASE("key normalisation like PurePosixPath, backslashes as separators") {
    bool dotdot = false, absolute = false;
    CHECK(normalise_key("tmp//s3file/./x/a.txt", dotdot, absolute) == "tmp/s3file/x/a.txt");
    CHECK_FALSE(dotdot);
    CHECK(normalise_key("tmp\\s3file\\x\\a.txt", dotdot, absolute) == "tmp/s3file/x/a.txt");
    normalise_key("tmp/s3file/../x", dotdot, absolute);
    CHECK(dotdot);
    normalise_key("/tmp/s3file/x", dotdot, absolute);
    CHECK(absolute);
}

// The middleware's cases (django-s3file tests/test_middleware.py), ported.
TEST_CASE("form keys: signed folders inside the upload prefix only") {
    const auto v = load_vector("django-signer.json");
    const std::string secret = v["secret_key"];
    const std::string folder = "tmp/s3file/abc123";
    const std::string signature = django_signature(secret, kS3FileSalt, folder);
    const std::vector<std::string> sigs{signature};

    CHECK(verify_key(folder + "/file.txt", sigs, "tmp/s3file", secret).ok);
    CHECK(verify_key(folder + "//file.txt", sigs, "tmp/s3file", secret).ok);  // non-canonical, same folder
    CHECK(verify_key("tmp/s3file/abc123\\file.txt", sigs, "tmp/s3file", secret).ok);

    struct Case { std::string key; const char* reason; };
    const Case refused[] = {
        {folder + "/../../../etc/passwd", "'..'"},
        {"tmp/s3file/abc123/../other/file.txt", "'..'"},
        {"tmp\\s3file\\abc123\\..\\..\\..\\secret", "'..'"},
        {"/tmp/s3file/abc123/file.txt", "absolute"},
        {"other/abc123/file.txt", "outside"},
        {"tmp/s3filex/abc123/file.txt", "outside"},
        {"tmp/s3file/file.txt", "root"},
        {"tmp/s3file/other/file.txt", "signature"},
        {folder + "/sub/file.txt", "signature"},  // deeper than the signed folder
    };
    for (const auto& c : refused) {
        INFO(c.key);
        const KeyVerdict verdict = verify_key(c.key, sigs, "tmp/s3file", secret);
        CHECK_FALSE(verdict.ok);
        CHECK(verdict.reason.find(c.reason) != std::string::npos);
    }
    CHECK_FALSE(verify_key(folder + "/file.txt", {"forged"}, "tmp/s3file", secret).ok);
    CHECK_FALSE(verify_key(folder + "/file.txt", sigs, "tmp/s3file", "other-secret").ok);
}

TEST_CASE("form keys: a custom storage location, and the root folders' own signatures are refused") {
    const auto v = load_vector("django-signer.json");
    const std::string secret = v["secret_key"];
    // Signatures of the upload roots themselves (the vectors) never admit a file in the root.
    for (const auto& vector : v["vectors"]) {
        const std::string root = vector["folder"];
        CHECK_FALSE(verify_key(root + "/file.txt", {vector["signature"]}, root, secret).ok);
    }
    // The location is part of the prefix; a key signed for the location-doubled folder
    // ("custom/location/custom/location/tmp/s3file") is outside "custom/location/tmp/s3file".
    const std::string doubled = "custom/location/custom/location/tmp/s3file";
    CHECK_FALSE(verify_key(doubled + "/x/file.txt", {django_signature(secret, kS3FileSalt, doubled + "/x")},
                           "custom/location/tmp/s3file", secret).ok);
    const std::string folder = "custom/location/tmp/s3file/x";
    CHECK(verify_key(folder + "/file.txt", {django_signature(secret, kS3FileSalt, folder)},
                     "custom/location/tmp/s3file", secret).ok);
}

TEST_CASE("any of several submitted signatures may sign a key (one folder per file)") {
    const std::string secret = "s";
    const std::vector<std::string> sigs{django_signature(secret, kS3FileSalt, "tmp/s3file/a"),
                                        django_signature(secret, kS3FileSalt, "tmp/s3file/b")};
    CHECK(verify_key("tmp/s3file/a/1.txt", sigs, "tmp/s3file", secret).ok);
    CHECK(verify_key("tmp/s3file/b/1.txt", sigs, "tmp/s3file", secret).ok);
    CHECK_FALSE(verify_key("tmp/s3file/c/1.txt", sigs, "tmp/s3file", secret).ok);
}
