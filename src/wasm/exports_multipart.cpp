// The multipart half of the C API, linked only into s3file-engine-mp.wasm (the engine pages
// load when a file is big enough for S3 multipart and a multipart endpoint is configured):
// its ports, the answers of web/'s multipart hooks, and the registration that enables
// multipart on the page's queue. The POST-only engine links exports.cpp alone, so none of the
// multipart code reaches the pages that never need it (see multipart_handler.hpp).
#include <emscripten/emscripten.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "browser_ports.hpp"
#include "exports.hpp"

using namespace s3file;
using namespace s3file::web;

namespace {

struct MultipartPage {
    BlobReader reader;
    CallbackMultipartApi api;
    CallbackResumeStore resume;
    std::vector<SignedPart> signed_urls;  ///< collected before s3f_mp_signed
    std::vector<StoredPart> listed;       ///< collected before s3f_mp_listed
};

MultipartPage multipart_page;

}  // namespace

void s3file::web::enable_multipart(UploadQueue& queue) {
    queue.enable_multipart(multipart_page.api, multipart_page.reader, &multipart_page.resume);
}

extern "C" {

/// Lets the last file of the batch being built use multipart through `endpoint` (the API base,
/// as Companion's "/s3/multipart") from `threshold` bytes (0: the page's, default 100 MiB);
/// `last_modified` (File.lastModified) keys its resume entry.
EMSCRIPTEN_KEEPALIVE void s3f_batch_multipart(char* endpoint, double threshold, double last_modified) {
    std::string url = take(endpoint);
    UploadSpec* last = last_pending_spec();
    if (!last) return;
    UploadSpec& spec = *last;
    spec.multipart_endpoint = std::move(url);
    spec.multipart_threshold = threshold > 0 ? static_cast<std::uint64_t>(threshold) : 0;
    spec.file.last_modified = last_modified > 0 ? static_cast<std::uint64_t>(last_modified) : 0;
}


/// The smallest part (options.part_size: within S3's 5 MiB–5 GiB, whole MiB), before the first upload.
EMSCRIPTEN_KEEPALIVE void s3f_configure_parts(double part_size) {
    if (part_size > 0) options().part_size = static_cast<std::uint64_t>(part_size);
}

/// Pause and resume are for multipart uploads (their stored parts stay; a single POST would
/// start over), so they live in the multipart engine.
EMSCRIPTEN_KEEPALIVE int s3f_pause(UploadId id) { return queue().pause(id); }
EMSCRIPTEN_KEEPALIVE int s3f_resume(UploadId id) { return queue().resume(id); }

// Multipart answers from web/ (Module.s3f.multipart / .resume). The hooks web/ provides:
//   multipart.create(call, endpoint, file, input)              → mpCreated(call, key, uploadId, signature)
//   multipart.sign(call, endpoint, key, uploadId, [numbers])   → mpSignedUrl(number, url)… then
//                                                                 mpSigned(call, expiresSeconds or 0)
//   multipart.list(call, endpoint, key, uploadId)              → mpListedPart(number, size, etag)… then
//                                                                 mpListed(call)
//   multipart.complete(call, endpoint, key, uploadId, [{PartNumber, ETag}])
//                                                              → mpCompleted(call, location, key, bucket, etag)
//   multipart.abort(endpoint, key, uploadId)                   (no answer)
//   any of them failing                                        → mpFailed(call, status, code, detail)
//   resume.load(call, fingerprint) → resumeLoaded(call, found, uploadId, key, signature, partSize, created)
//   resume.save(fingerprint, {uploadId, key, signature, partSize, created}); resume.remove(fingerprint)
// Answer asynchronously (never inside the hook's own call); strings through api.str().
EMSCRIPTEN_KEEPALIVE void s3f_read_done(ReadId id, std::uint8_t* bytes, double size) {
    queue().on_read(id, bytes, bytes ? static_cast<std::size_t>(size) : 0);
    std::free(bytes);
}

EMSCRIPTEN_KEEPALIVE void s3f_mp_created(CallId call, char* key, char* upload_id, char* signature) {
    queue().on_multipart_created(call, take(key), take(upload_id), take(signature));
}

EMSCRIPTEN_KEEPALIVE void s3f_mp_signed_url(std::uint32_t number, char* url) {
    multipart_page.signed_urls.push_back({number, take(url)});
}

EMSCRIPTEN_KEEPALIVE void s3f_mp_signed(CallId call, double expires_seconds) {
    std::vector<SignedPart> urls;
    urls.swap(multipart_page.signed_urls);
    queue().on_parts_signed(call, urls, expires_seconds > 0 ? static_cast<std::uint64_t>(expires_seconds) : 0);
}

EMSCRIPTEN_KEEPALIVE void s3f_mp_listed_part(std::uint32_t number, double size, char* etag) {
    multipart_page.listed.push_back({number, static_cast<std::uint64_t>(size), take(etag)});
}

EMSCRIPTEN_KEEPALIVE void s3f_mp_listed(CallId call) {
    std::vector<StoredPart> parts;
    parts.swap(multipart_page.listed);
    queue().on_parts_listed(call, parts);
}

EMSCRIPTEN_KEEPALIVE void s3f_mp_completed(CallId call, char* location, char* key, char* bucket, char* etag) {
    PostResult result;
    result.location = take(location);
    result.key = take(key);
    result.bucket = take(bucket);
    result.etag = take(etag);
    queue().on_multipart_completed(call, result);
}

EMSCRIPTEN_KEEPALIVE void s3f_mp_failed(CallId call, int status, char* code, char* detail) {
    queue().on_multipart_failed(call, status, take(code), take(detail));
}

EMSCRIPTEN_KEEPALIVE void s3f_resume_loaded(CallId call, int found, char* upload_id, char* key, char* signature,
                                            double part_size, double created) {
    ResumeEntry entry{take(upload_id), take(key), take(signature),
                      part_size > 0 ? static_cast<std::uint64_t>(part_size) : 0,
                      created > 0 ? static_cast<std::uint64_t>(created) : 0};
    queue().on_resume_loaded(call, found ? &entry : nullptr);
}

}  // extern "C"
