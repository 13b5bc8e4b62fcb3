// The engine's ports for the browser: each forwards to one import of browser_ports.js.
// Thin on purpose (convert, call, return); no upload logic lives here.
#pragma once

#include "events.hpp"
#include "ports.hpp"
#include "upload_queue.hpp"

namespace s3file::web {

/// XMLHttpRequest with a Blob body [head, File, tail]: the browser streams the file from disk.
class XhrTransport : public Transport {
public:
    void send(RequestId id, const HttpRequest& request) override;
    void abort(RequestId id) override;
    std::string response_header(const char* name) override;
};

/// setTimeout/clearTimeout and performance.now().
class BrowserTimers : public Timers {
public:
    void start(TimerId id, std::uint64_t delay_ms) override;
    void cancel(TimerId id) override;
    std::uint64_t now_ms() const override;
#if !defined(S3FILE_MULTIPART) || S3FILE_MULTIPART
    std::uint64_t epoch_ms() const override;
#endif
};

/// Chunks of a File through Blob.slice().arrayBuffer(), copied into wasm memory one at a time.
class BlobReader : public FileReader {
public:
    void read(ReadId id, const FileRef& file, std::uint64_t offset, std::uint64_t length, std::uint32_t chunk) override;
    void cancel(ReadId id) override;
};

/// The page's multipart API client (Companion's routes: fetch + JSON live in web/).
class CallbackMultipartApi : public MultipartApi {
public:
    void create(CallId call, const std::string& endpoint, const FileRef& file, const std::string& input) override;
    void sign_parts(CallId call, const MultipartRef& ref, const std::vector<std::uint32_t>& numbers) override;
    void list_parts(CallId call, const MultipartRef& ref) override;
    void complete(CallId call, const MultipartRef& ref, const std::vector<StoredPart>& parts) override;
    void abort(const MultipartRef& ref) override;
};

/// The page's resume store (localStorage or IndexedDB in web/).
class CallbackResumeStore : public ResumeStore {
public:
    void load(CallId call, const std::string& fingerprint) override;
    void save(const std::string& fingerprint, const ResumeEntry& entry) override;
    void remove(const std::string& fingerprint) override;
};

/// crypto.getRandomValues.
class CryptoRandom : public Random {
public:
    std::uint32_t next_u32() override;
};

/// Each engine event becomes a DOM CustomEvent whose detail carries the File itself.
class DomEventSink : public EventSink {
public:
    void emit(const Event& event) override;
};

/// Hands policy requests to the page's requestPolicies(batch, [{upload, file, input}]).
class CallbackPolicySource : public PolicySource {
public:
    void attach(const UploadQueue* queue) { queue_ = queue; }
    void request_policies(BatchId batch, const std::vector<UploadId>& uploads) override;

private:
    const UploadQueue* queue_ = nullptr;
};

}  // namespace s3file::web
