// Object-key naming: ${filename} substitution done by the widget itself, so S3-compatible
// stores without the substitution work too (protocol.md §1), and distinct names for
// same-named files that share a signed folder.
#pragma once

#include <cstdint>
#include <string>

namespace s3file {

/// The S3 key variable replaced by the file part's filename.
inline constexpr char kFilenameVariable[] = "${filename}";

/// A name that is a single path segment: '/' and '\' become '_', "", "." and ".." become "_".
/// Browsers already send basenames; this guards the signed-folder rule of protocol.md §3.
std::string safe_basename(const std::string& name);

/// Replaces every ${filename} in `key` with `filename`.
std::string substitute_filename(const std::string& key, const std::string& filename);

/// "a.txt" with n = 2 → "a (2).txt"; "README" → "README (2)"; ".env" → ".env (2)".
std::string numbered_name(const std::string& name, unsigned n);

/// A 32-bit hash of a key (×31 per byte, as Java's String.hashCode; the fewest wasm bytes).
/// Numbering same-named files compares every key of the batch with the new one; comparing
/// these first, in a row (UploadQueue::key_hashes_), makes that an integer compare per pair
/// where a string compare per pair (a batch's keys often share their folder) was the engine's
/// costliest step at 1,000 files (CPU profile: 24 → 7 ms per 1,000), growing with the square
/// of the batch. Up to the first NUL: equal hashes are only a hint, the strings decide.
std::uint32_t key_hash_of(const char* key);

}  // namespace s3file
