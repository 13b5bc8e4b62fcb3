// Refusing at policy time what storage would refuse only after the whole file was sent: a file
// larger than --max-size, or of a type --accept does not match, gets no policy.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/policy_issuer.hpp"

namespace s3file::server {

/// Why a file gets no policy; the names are the `code` strings of the JSON answer.
enum class RefusalCode { None, FileTooLarge, TypeNotAccepted };

struct FileRefusal {
    RefusalCode code = RefusalCode::None;
    std::string message;  ///< one English sentence that names the file
    explicit operator bool() const { return code != RefusalCode::None; }
};

/// The refusal storage would answer for `file` under the policy `config` would issue, or none.
FileRefusal check_file(const IssuerConfig& config, const FileRequest& file);

/// {} when accepted; {"code", "error", "limit"} (FileTooLarge) or {"code", "error", "accept"}.
nlohmann::ordered_json refusal_to_json(const FileRefusal& refusal, const IssuerConfig& config);

/// "2 of 5 files were refused." for a batch of `total` with `refused` refusals.
std::string refusal_summary(std::size_t refused, std::size_t total);

/// A client-given name fit for a message: invalid UTF-8, control and bidirectional-override
/// characters become U+FFFD; past `max_chars` code points the middle gives way to "…", so the
/// start and the extension stay readable.
std::string display_name(const std::string& name, std::size_t max_chars);

/// "image/*,application/pdf": the accept list as the HTML accept attribute writes it.
std::string accept_attribute(const std::vector<std::string>& accept);

}  // namespace s3file::server
