#include <catch2/catch.hpp>

#include "config.hpp"

using namespace s3file::server;

namespace {
bool parse(std::vector<std::string> args, ServerConfig& config, std::string& error) {
    std::vector<char*> argv{const_cast<char*>("s3file-server")};
    for (auto& a : args) argv.push_back(a.data());
    return parse_args(static_cast<int>(argv.size()), argv.data(), config, error);
}
}  // namespace

TEST_CASE("flags parse, with sizes, lists and a storage port beside the app port") {
    ServerConfig config;
    std::string error;
    REQUIRE(parse({"--port", "9000", "--max-size", "10MB", "--accept", "image/*, application/pdf",
                   "--upload-prefix", "media/tmp/", "--expires", "60"}, config, error));
    CHECK(config.port == 9000);
    CHECK(config.s3_port == 9001);
    CHECK(config.max_size == 10ull * 1024 * 1024);
    CHECK(config.accept == std::vector<std::string>{"image/*", "application/pdf"});
    CHECK(config.upload_prefix == "media/tmp");
    CHECK(config.expires == 60);
}

TEST_CASE("bad flags get clear errors") {
    const std::vector<std::vector<std::string>> bad = {
        {"--port", "http"}, {"--port", "70000"}, {"--max-size", "lots"}, {"--bogus", "1"},
        {"--port"}, {"--upload-prefix", "../x"}, {"--bucket", "UPPER"}, {"--expires", "0"},
        {"--port", "9000", "--s3-port", "9000"}};
    for (const auto& args : bad) {
        ServerConfig config;
        std::string error;
        INFO(args[0]);
        CHECK_FALSE(parse(args, config, error));
        CHECK_FALSE(error.empty());
    }
}

TEST_CASE("the deploy check refuses a public emulator and weak or missing secrets") {
    ServerConfig config;
    config.secret = std::string(40, 'x');
    CHECK(deploy_problems(config, true).empty());
    CHECK(deploy_problems(config, false).size() == 1);  // random secret: not for deployment
    config.bind = "0.0.0.0";
    CHECK(deploy_problems(config, true).size() == 1);
    config.s3_endpoint = "https://s3.eu-west-1.amazonaws.com";
    CHECK(deploy_problems(config, true).empty());
    config.secret = "secret";
    CHECK(deploy_problems(config, true).size() == 1);
    CHECK(is_loopback("127.0.0.1"));
    CHECK(is_loopback("::1"));
    CHECK_FALSE(is_loopback("192.168.1.1"));
}
