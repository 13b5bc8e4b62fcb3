// Every JSON the server reads from outside (request bodies, policy documents, metadata files)
// goes through here: nesting is bounded while parsing, so no input can make the copy,
// comparison or destruction of a document recurse deep enough to overflow a thread's stack.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace s3file::server {

/// Real requests nest 3 levels ({"files": [{...}]}), policy documents 3 ([["eq", ...]]);
/// 32 leaves ample room and keeps recursion in nlohmann's copy/compare a few KB of stack.
constexpr int kMaxJsonDepth = 32;

/// Parses `text`; on failure returns false with a reason fit for a client ("the body is not
/// valid JSON", "the body nests deeper than 32 levels").
bool parse_json_bounded(const std::string& text, nlohmann::json& out, std::string& error,
                        int max_depth = kMaxJsonDepth);

/// Serialises for a response or a metadata file: invalid UTF-8 (which nlohmann refuses with an
/// exception) becomes U+FFFD, as Django does with undecodable form data.
std::string dump_json(const nlohmann::ordered_json& value);
std::string dump_json(const nlohmann::json& value);

/// Length (1-4) of the well-formed UTF-8 sequence starting at `text[at]` (at < size), or 0
/// when the bytes there are not one.
std::size_t utf8_sequence_length(const std::string& text, std::size_t at);

/// True if `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(const std::string& text);

}  // namespace s3file::server
