// What the fuzz targets (tests/fuzz/*_fuzz.cpp) share: one fixed signing identity (the seeds
// in corpus/ are signed with it), checks that abort (libFuzzer and replay_main.cpp both report
// an abort as a failure), a throw-away storage folder with traps around it, and an in-memory
// connection that feeds raw bytes through cpp-httplib's own request parser.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <sys/inotify.h>
#include <unistd.h>

#include <httplib.h>

#include "app/form_verifier.hpp"
#include "emulator/object_store.hpp"
#include "signing/post_policy.hpp"

namespace s3file::fuzz {

namespace fs = std::filesystem;

// The identity every target signs and verifies with; make_seeds.cpp signs the seeds with it.
inline const std::string kBucket = "s3file";
inline const std::string kRegion = "us-east-1";
inline const std::string kAccessKey = "AKIAFUZZFUZZFUZZFUZZ";
inline const std::string kSecretKey = "fuzz/secret+key";
inline const std::string kFormSecret = "fuzz-form-secret-fuzz-form-secret!!";
inline const std::string kUploadPrefix = "tmp/s3file";
/// An object every storage-backed target stores at start, so "the object exists" is reachable.
inline const std::string kPlantedKey = "tmp/s3file/0123456789abcdef0123456789abcdef/photo.jpg";

/// Reports a broken invariant and aborts: the fuzzer saves the input as a crash reproducer.
[[noreturn]] inline void fail(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz invariant broken: %s: %s\n", what, detail.c_str());
    std::abort();
}

inline void expect(bool ok, const char* what, const std::string& detail = "") {
    if (!ok) fail(what, detail);
}

inline std::string as_string(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

/// Splits at the first empty line (like an HTTP head and body); no empty line: all is head.
inline std::pair<std::string, std::string> split_at_blank_line(const std::string& text) {
    const std::size_t at = text.find("\n\n");
    if (at == std::string::npos) return {text, ""};
    return {text.substr(0, at), text.substr(at + 2)};
}

/// "name=value" lines, in order (the text form targets b and c read); lines without '=' skipped.
inline server::FormFields parse_field_lines(const std::string& text) {
    server::FormFields fields;
    std::size_t from = 0;
    while (from < text.size()) {
        std::size_t end = text.find('\n', from);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(from, end - from);
        const std::size_t eq = line.find('=');
        if (eq != std::string::npos) fields.emplace_back(line.substr(0, eq), line.substr(eq + 1));
        from = end + 1;
    }
    return fields;
}

/// True when `path` lies strictly below `base` (both made lexically normal first).
inline bool is_inside(const fs::path& base, const fs::path& path) {
    const fs::path relative = path.lexically_normal().lexically_relative(base.lexically_normal());
    return !relative.empty() && relative != "." && *relative.begin() != "..";
}

/// The receiver's promise (protocol.md §3): an accepted key normalises to a path with no ".."
/// segment, inside a folder below the upload prefix (never the prefix's root).
inline void expect_in_upload_folder(const std::string& key, const std::string& prefix) {
    bool dotdot = false, absolute = false;
    const std::string path = server::normalise_key(key, dotdot, absolute);
    expect(!dotdot && !absolute, "accepted key has a '..' segment or is absolute", key);
    for (std::size_t from = 0; from <= path.size();) {
        std::size_t at = path.find('/', from);
        if (at == std::string::npos) at = path.size();
        expect(path.compare(from, at - from, "..") != 0, "accepted key normalises with '..'", key);
        from = at + 1;
    }
    const fs::path folder = fs::path("/" + path).parent_path();
    expect(is_inside("/" + prefix, folder), "accepted key is not in a folder below the prefix", key);
}

/// A temporary folder holding the object store at <tmp>/a/b/store, with trap files where an
/// escaping key would land (root/../secret, root/../../secret, with the metadata a GET needs).
/// check() proves after every input that nothing was written anywhere else in <tmp> and that
/// no trap was even opened. Opening is seen through inotify, not by looking for the trap's
/// text in answers: the fuzzer learns every string the harness compares and would echo it.
class Sandbox {
public:
    Sandbox() : inotify_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
        std::string pattern = (fs::temp_directory_path() / "s3file-fuzz-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr || inotify_ < 0) fail("cannot create a sandbox", pattern);
        top_ = fs::absolute(pattern);
        root_ = top_ / "a" / "b" / "store";
        const std::string secret = "not to be served\n";
        const std::string meta = R"({"key":"secret","size":)" + std::to_string(secret.size()) + "}";
        for (const fs::path& trap : {top_ / "secret", top_ / "a" / "secret", top_ / "a" / "b" / "secret",
                                     root_ / "secret"})
            add_file(trap, secret, true);
        add_file(root_ / "secret.json", meta, true);            // metadata of key "../../secret"
        add_file(root_ / ".meta" / "secret.json", meta, true);  // metadata of key "../secret"
        fs::create_directories(root_ / ".tmp");
        folders_.push_back(root_ / ".tmp");
    }
    ~Sandbox() {
        close(inotify_);
        std::error_code ignored;
        fs::remove_all(top_, ignored);
    }
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    const fs::path& top() const { return top_; }
    const fs::path& root() const { return root_; }
    fs::path bucket_dir() const { return root_ / kBucket; }

    /// Creates a file that must never change; a `trap` must not even be opened (a web page the
    /// app serves is a file that may be read).
    void add_file(const fs::path& path, const std::string& content, bool trap) {
        for (fs::path folder = path.parent_path(); folder != top_; folder = folder.parent_path())
            if (std::find(folders_.begin(), folders_.end(), folder) == folders_.end()) folders_.push_back(folder);
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << content;
        const std::uint32_t changes = IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF;
        const int watch = inotify_add_watch(inotify_, path.c_str(), trap ? changes | IN_OPEN : changes);
        if (watch < 0) fail("cannot watch", path.string());
        watched_.emplace_back(watch, path);
    }

    /// Forgets every stored object, so each input starts from the same state.
    void reset() const {
        std::error_code ignored;
        fs::remove_all(bucket_dir(), ignored);
        fs::remove_all(root_ / ".meta" / kBucket, ignored);
        // Multipart uploads in progress; the folder itself stays, as the store made it.
        for (auto entry = fs::directory_iterator(multipart_dir(), ignored); !ignored && entry != fs::directory_iterator(); ++entry)
            fs::remove_all(entry->path(), ignored);
    }

    /// Where the emulator keeps multipart uploads in progress (emulator/multipart_store).
    fs::path multipart_dir() const { return root_ / ".multipart"; }

    /// No added file was touched (or a trap opened); every other file and folder below <tmp>
    /// is a folder on the way to an added file, or inside <store>/<bucket>,
    /// <store>/.meta/<bucket> or <store>/.multipart, or the store's <store>/.lock;
    /// <store>/.tmp is empty.
    void check() const {
        alignas(inotify_event) char events[4096];
        const ssize_t n = read(inotify_, events, sizeof events);
        if (n > 0) {
            const auto* event = reinterpret_cast<const inotify_event*>(events);
            const auto watched = std::find_if(watched_.begin(), watched_.end(),
                                              [&](const auto& w) { return w.first == event->wd; });
            fail(event->mask & IN_OPEN ? "a file outside the bucket was opened" : "a file outside the bucket was changed",
                 watched == watched_.end() ? "?" : watched->second.string());
        }
        const fs::path meta_dir = root_ / ".meta" / kBucket;
        for (auto entry = fs::recursive_directory_iterator(top_); entry != fs::recursive_directory_iterator(); ++entry) {
            const fs::path& path = entry->path();
            if (path == bucket_dir() || path == meta_dir || path == multipart_dir()) {  // anything may be stored in there
                entry.disable_recursion_pending();
                continue;
            }
            if (std::find(folders_.begin(), folders_.end(), path) != folders_.end()) continue;
            if (path == root_ / ".lock") continue;  // the store's ownership lock
            const bool added = std::any_of(watched_.begin(), watched_.end(), [&](const auto& w) { return w.second == path; });
            expect(added, path.parent_path() == root_ / ".tmp" ? "a temporary file was left behind"
                                                               : "something was written outside the bucket",
                   path.string());
        }
    }

private:
    int inotify_;
    fs::path top_, root_;
    std::vector<fs::path> folders_;
    std::vector<std::pair<int, fs::path>> watched_;
};

/// Stores `content` at `key` through the store's own begin/commit path.
inline void plant_object(server::ObjectStore& store, const std::string& key, const std::string& content) {
    auto pending = store.begin();
    expect(pending != nullptr && pending->write(content.data(), content.size()), "cannot plant", key);
    server::ObjectInfo info;
    info.key = key;
    info.content_type = "image/jpeg";
    expect(!store.commit(*pending, kBucket, info), "cannot plant", key);
}

/// One connection's bytes in memory: reads come from the fuzz input, writes are collected.
class MemoryStream : public httplib::Stream {
public:
    explicit MemoryStream(const std::string& input) : input_(input) {}
    bool is_readable() const override { return position_ < input_.size(); }
    bool is_writable() const override { return true; }
    ssize_t read(char* ptr, size_t size) override {
        const std::size_t n = std::min(size, input_.size() - position_);
        std::copy_n(input_.data() + position_, n, ptr);
        position_ += n;
        return static_cast<ssize_t>(n);
    }
    ssize_t write(const char* ptr, size_t size) override {
        output_.append(ptr, size);
        return static_cast<ssize_t>(size);
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        ip = "127.0.0.1";
        port = 40000;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        ip = "127.0.0.1";
        port = 9001;
    }
    socket_t socket() const override { return INVALID_SOCKET; }  // no socket: nothing to reset
    bool at_end() const { return position_ >= input_.size(); }
    const std::string& output() const { return output_; }

private:
    const std::string& input_;
    std::size_t position_ = 0;
    std::string output_;
};

/// One request and its answer, as the server's logger saw them.
struct Exchange {
    std::string method, path, request_body;
    int status = 0;
    std::string content_type, body;
    std::string exception;  ///< what a handler threw (cpp-httplib then answers 500)
    bool ranged = false;    ///< the request had a Range header: the body may be a slice
};

/// A cpp-httplib server that reads its requests from memory instead of a socket: the same
/// parser, routing and handlers a real connection gets, in a fraction of the time.
class FuzzServer : public httplib::Server {
public:
    /// Keep-alive requests per input: enough to upload then read back, bounded per run.
    static constexpr int kMaxRequests = 8;

    FuzzServer() {
        // S3FILE_FUZZ_TRACE=1 prints every exchange: how to see what a seed actually does.
        set_logger([this, trace = std::getenv("S3FILE_FUZZ_TRACE") != nullptr](
                       const httplib::Request& request, const httplib::Response& response) {
            exchanges_.push_back({request.method, request.path, request.body, response.status,
                                  response.get_header_value("Content-Type"), response.body,
                                  response.get_header_value("EXCEPTION_WHAT"), !request.ranges.empty()});
            if (trace)
                std::fprintf(stderr, "  %s %s -> %d %s\n", request.method.c_str(), request.path.c_str(),
                             response.status, response.body.substr(0, 160).c_str());
        });
    }
    /// Serves every request in `input` (pipelined on one connection); returns what was written.
    std::string serve(const std::string& input) {
        exchanges_.clear();
        MemoryStream stream(input);
        for (int i = 0; i < kMaxRequests && !stream.at_end(); ++i) {
            bool closed = false;
            if (!process_request(stream, i + 1 == kMaxRequests, closed, nullptr) || closed) break;
        }
        return stream.output();
    }
    const std::vector<Exchange>& exchanges() const { return exchanges_; }

private:
    std::vector<Exchange> exchanges_;
};

}  // namespace s3file::fuzz
