#include "http/json_input.hpp"

namespace s3file::server {

using nlohmann::json;

bool parse_json_bounded(const std::string& text, json& out, std::string& error, int max_depth) {
    bool too_deep = false;
    // nlohmann's parser is iterative; the callback sees each value's depth as it starts, and
    // dropping a too-deep value (return false) keeps the built document shallow.
    const json::parser_callback_t limit = [&](int depth, json::parse_event_t event, json&) {
        if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
            depth >= max_depth)
            too_deep = true;
        return !too_deep;
    };
    out = json::parse(text, limit, false);
    if (too_deep) {
        out = json();
        error = "the JSON nests deeper than " + std::to_string(max_depth) + " levels";
        return false;
    }
    if (out.is_discarded()) {
        error = "the body is not valid JSON";
        return false;
    }
    return true;
}

std::string dump_json(const nlohmann::ordered_json& value) {
    return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string dump_json(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::size_t utf8_sequence_length(const std::string& text, std::size_t at) {
    const std::size_t n = text.size();
    const unsigned char c = static_cast<unsigned char>(text[at]);
    if (c < 0x80) return 1;
    // Lead byte → sequence length and the allowed range of the second byte (RFC 3629 §4).
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) length = 2;
    else if (c == 0xE0) length = 3, low = 0xA0;
    else if (c >= 0xE1 && c <= 0xEC) length = 3;
    else if (c == 0xED) length = 3, high = 0x9F;  // no surrogates
    else if (c >= 0xEE && c <= 0xEF) length = 3;
    else if (c == 0xF0) length = 4, low = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) length = 4;
    else if (c == 0xF4) length = 4, high = 0x8F;  // nothing past U+10FFFF
    else return 0;
    if (at + length > n) return 0;
    const unsigned char second = static_cast<unsigned char>(text[at + 1]);
    if (second < low || second > high) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        const unsigned char next = static_cast<unsigned char>(text[at + k]);
        if (next < 0x80 || next > 0xBF) return 0;
    }
    return length;
}

bool is_valid_utf8(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) return false;
        i += length;
    }
    return true;
}

}  // namespace s3file::server
