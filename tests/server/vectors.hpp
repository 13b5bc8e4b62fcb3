// Test vectors (tests/vectors/, copied from the project's shared vectors).
#pragma once

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

inline nlohmann::json load_vector(const std::string& name) {
    std::ifstream in(std::string(S3FILE_VECTORS_DIR) + "/" + name);
    return nlohmann::json::parse(in);
}
