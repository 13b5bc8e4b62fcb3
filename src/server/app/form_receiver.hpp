// POST /submit: what a Django view sees after django-s3file's middleware (protocol.md §3).
#pragma once

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "emulator/object_store.hpp"

namespace s3file::server {

struct ReceiverConfig {
    std::string upload_prefix;
    std::string secret;
    std::string bucket;
    const ObjectStore* store = nullptr;  ///< null with real S3: objects cannot be checked here
};

/// The submitted form as ordered (name, value) pairs plus real file parts (no-JS fallback).
struct SubmittedForm {
    std::vector<std::pair<std::string, std::string>> fields;
    std::vector<std::pair<std::string, httplib::MultipartFormData>> files;
};

/// Reads an urlencoded or multipart body.
SubmittedForm read_form(const httplib::Request& request);

/// Verifies every listed key and answers {"fields", "files"} with status 201, or 403/400
/// with {"error"}. `status` receives the HTTP status.
nlohmann::ordered_json receive_form(const ReceiverConfig& config, const SubmittedForm& form, int& status);

}  // namespace s3file::server
