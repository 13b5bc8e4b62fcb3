// A running s3file server for tests over real HTTP on loopback, and S3 reply helpers.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "signing/crypto.hpp"
#include "server.hpp"

using namespace s3file::server;
using nlohmann::json;
namespace fs = std::filesystem;

/// A server on ephemeral loopback ports with its own storage folder; `adjust` changes the
/// configuration before it starts.
struct Running {
    explicit Running(std::uint64_t max_size = 1024 * 1024, const std::function<void(ServerConfig&)>& adjust = {}) {
        root = fs::temp_directory_path() / ("s3file-http-" + random_token(6));
        ServerConfig config;
        config.port = 0;
        config.s3_port = 0;
        config.storage = root.string();
        config.max_size = max_size;
        config.secret = "test-secret-test-secret-test-secret!";
        config.web_root = root.string();
        if (adjust) adjust(config);
        server = std::make_unique<S3FileServer>(config, Credentials{"AKIATESTTESTTESTTEST", "test/secret+key", ""});
        std::string error;
        REQUIRE(server->start(error));
        app = std::make_unique<httplib::Client>("127.0.0.1", server->app_port());
        s3 = std::make_unique<httplib::Client>("127.0.0.1", server->s3_port());
    }
    ~Running() {
        server->stop();
        fs::remove_all(root);
    }
    json policy(const std::string& name, std::uint64_t size, const std::string& type = "text/plain") {
        auto res = app->Post("/api/policy", json{{"name", name}, {"size", size}, {"type", type}, {"field", "doc"}}.dump(),
                             "application/json");
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return json::parse(res->body);
    }
    // Posts the policy's fields, Content-Type, then the file part — like the widget.
    httplib::Result upload(const json& policy, const std::string& filename, const std::string& content,
                           httplib::MultipartFormDataItems extra = {}) {
        httplib::MultipartFormDataItems items;
        for (const auto& [name, value] : policy["fields"].items())
            items.push_back({name, value.get<std::string>(), "", ""});
        if (!policy["fields"].contains("Content-Type")) items.push_back({"Content-Type", "text/plain", "", ""});
        for (auto& item : extra) items.push_back(item);
        items.push_back({"file", content, filename, "text/plain"});
        return s3->Post("/s3file", items);
    }
    std::size_t files_in_storage() const {
        std::size_t n = 0;
        for (const auto& entry : fs::recursive_directory_iterator(root))
            if (entry.is_regular_file() && entry.path().filename() != ".lock") ++n;  // the store's own lock
        return n;
    }
    fs::path root;
    std::unique_ptr<S3FileServer> server;
    std::unique_ptr<httplib::Client> app, s3;
};

inline std::string xml_text(const std::string& xml, const std::string& tag) {
    const auto a = xml.find("<" + tag + ">");
    const auto b = xml.find("</" + tag + ">");
    return a == std::string::npos ? "" : xml.substr(a + tag.size() + 2, b - a - tag.size() - 2);
}

// The answer exists, has this status and carries this S3 error code.
inline void check_s3_error(const httplib::Result& result, int status, const std::string& code) {
    REQUIRE(result);
    CHECK(result->status == status);
    CHECK(xml_text(result->body, "Code") == code);
}

