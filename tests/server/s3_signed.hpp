// SigV4-signed requests to the emulator for tests: Authorization-header requests and
// presigned URLs made with the server's own signing code (boto3 checks it independently).
#pragma once

#include <ctime>
#include <string>

#include <httplib.h>

#include "signing/crypto.hpp"
#include "signing/sigv4_request.hpp"

using s3file::server::Credentials;
using s3file::server::NameValues;

struct SignedS3 {
    int port;
    Credentials credentials{"AKIATESTTESTTESTTEST", "test/secret+key", ""};
    std::string region = "us-east-1";

    std::string host() const { return "127.0.0.1:" + std::to_string(port); }

    /// A header-signed request; `tamper` changes the signature after signing.
    httplib::Result send(const std::string& method, const std::string& path, const NameValues& query,
                         const std::string& body = "", bool tamper = false, std::time_t now = std::time(nullptr)) const {
        using namespace s3file::server;
        SignableRequest signable{method, path, query, {{"host", host()}}, to_hex(sha256(body))};
        httplib::Request request;
        request.method = method;
        request.path = sigv4_uri_encode(path, true) + (query.empty() ? "" : "?" + canonical_query(query));
        request.headers.emplace("Host", host());
        for (auto [name, value] : sign_request_headers(credentials, region, signable, now)) {
            if (tamper && name == "Authorization") value.back() = value.back() == '0' ? '1' : '0';
            request.headers.emplace(name, value);
        }
        request.body = body;
        if (method == "POST" || method == "PUT" || method == "DELETE")
            request.headers.emplace("Content-Length", std::to_string(body.size()));
        httplib::Client client("127.0.0.1", port);
        return client.send(request);
    }

    /// "/bucket/key?…&X-Amz-Signature=…", valid `expires` seconds from `now`.
    std::string presigned(const std::string& method, const std::string& path, const NameValues& query,
                          std::int64_t expires = 600, std::time_t now = std::time(nullptr)) const {
        using namespace s3file::server;
        return sigv4_uri_encode(path, true) + "?" +
               presign_query(credentials, region, method, host(), path, query, now, expires);
    }
};
