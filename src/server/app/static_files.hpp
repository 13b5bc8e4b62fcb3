// The app port's static files (dist/: the widget's modules, the .wasm, the demo), served as a
// static host or CDN serves them: precompressed siblings, validators, and long caching for
// content-hashed names. cpp-httplib's mount point compresses every response as it sends it
// (Brotli at its default quality: 21 ms to the first byte of the engine's 20 KB chunk, against
// 1.4 ms uncompressed) and sends no validators, so a return visit fetched everything again.
#pragma once

#include <filesystem>
#include <string>

#include <httplib.h>

namespace s3file::server {

/// The Content-Type for a file name, by its last extension ("application/octet-stream" when
/// unknown). Module scripts must be JavaScript and streaming compile wants application/wasm.
std::string static_content_type(const std::string& name);

/// "public, max-age=31536000, immutable" for content-hashed names (esbuild's chunk-XXXXXXXX.js,
/// the build's s3file-engine-XXXXXXXX.wasm: a new build gets new names); "no-cache" (revalidate,
/// a 304 when unchanged) for the rest, whose names stay across builds.
std::string static_cache_control(const std::string& name);

/// True when an Accept-Encoding header value accepts `coding` ("br", "gzip"): listed, or "*",
/// with a q-value other than 0.
bool accepts_encoding(const std::string& accept_encoding, const std::string& coding);

/// Answers GET/HEAD `path` (the request's decoded path) from the files under `root` into
/// `response`: 404 (no body: the port's error page) for what is missing, hidden (a dot segment) or outside `root` (through ".."
/// or a symbolic link). `name.br` / `name.gz` beside a file are sent as its Brotli / gzip
/// encoding when the client accepts it.
void serve_static(const std::filesystem::path& root, const std::string& path, const httplib::Request& request,
                  httplib::Response& response);

}  // namespace s3file::server
