// Replays a fuzz target's corpus without libFuzzer: runs LLVMFuzzerTestOneInput on every file
// of the folder given as argv[1], in name order. Linked with each *_fuzz.cpp in the normal
// build and registered with CTest, so every seed and every crash reproducer is a regression
// test. A broken invariant aborts; the test fails and names every failing input.
// Each input runs in its own child process, so a reproducer of a bug not fixed yet does not
// hide what the other inputs would find; TMPDIR points into a folder removed at the end, so
// the sandboxes of crashed children do not pile up.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {

// Runs one input in a child; returns "" when it finished normally, else how it ended.
std::string replay(const fs::path& path) {
    std::fflush(nullptr);
    const pid_t child = fork();
    if (child < 0) return "fork failed";
    if (child == 0) {
        std::ifstream in(path, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        std::exit(0);  // static destructors run: the target's sandbox is removed
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
    if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
    return "exit status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2 || !fs::is_directory(argv[1])) {
        std::fprintf(stderr, "usage: %s <corpus folder>\n", argv[0]);
        return 2;
    }
    std::vector<fs::path> inputs;
    for (const auto& entry : fs::directory_iterator(argv[1]))
        if (entry.is_regular_file()) inputs.push_back(entry.path());
    std::sort(inputs.begin(), inputs.end());
    if (inputs.empty()) {  // an empty corpus tests nothing: that is a broken test, not a pass
        std::fprintf(stderr, "no inputs in %s\n", argv[1]);
        return 1;
    }
    std::string temp = (fs::temp_directory_path() / "s3file-replay-XXXXXX").string();
    if (mkdtemp(temp.data()) == nullptr || setenv("TMPDIR", temp.c_str(), 1) != 0) {
        std::perror("temporary folder");
        return 1;
    }
    std::vector<std::string> failed;
    for (const auto& path : inputs) {
        const std::string outcome = replay(path);
        if (outcome.empty()) continue;
        std::fprintf(stderr, "FAILED %s (%s)\n", path.filename().c_str(), outcome.c_str());
        failed.push_back(path.filename().string());
    }
    std::error_code ignored;
    fs::remove_all(temp, ignored);
    std::printf("replayed %zu inputs from %s: %zu failed\n", inputs.size(), argv[1], failed.size());
    for (const auto& name : failed) std::printf("  %s\n", name.c_str());
    return failed.empty() ? 0 : 1;
}
