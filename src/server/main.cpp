// s3file-server: see `s3file-server --help` and the README.
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <pthread.h>
#include <unistd.h>

#include "config.hpp"
#include "signing/crypto.hpp"
#include "server.hpp"

using namespace s3file::server;

namespace {

// dist/ of the source tree: the executable lives in <root>/build/native/.
std::string default_web_root() {
    std::error_code error;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) return "dist";
    return (exe.parent_path() / ".." / ".." / "dist").lexically_normal().string();
}

}  // namespace

int main(int argc, char** argv) {
    ServerConfig config;
    std::string error;
    if (!parse_args(argc, argv, config, error)) {
        std::cerr << "s3file-server: " << error << "\n";
        return 2;
    }
    if (config.help) {
        std::cout << usage();
        return 0;
    }
    const bool secret_from_flag = !config.secret.empty();
    if (config.check_deploy) {
        const auto problems = deploy_problems(config, secret_from_flag);
        for (const auto& problem : problems) std::cerr << "s3file-server --check-deploy: " << problem << "\n";
        if (problems.empty()) std::cout << "s3file-server --check-deploy: OK\n";
        return problems.empty() ? 0 : 1;
    }
    bool from_environment = false;
    const Credentials credentials = credentials_from_environment(from_environment);
    if (!config.s3_endpoint.empty() && !from_environment) {
        std::cerr << "s3file-server: --s3-endpoint needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n";
        return 2;
    }
    if (!secret_from_flag) {
        config.secret = random_token(32);
        std::cerr << "s3file-server: warning: no --secret; using a random one, so signed forms "
                     "do not survive a restart\n";
    }
    if (config.web_root.empty()) config.web_root = default_web_root();

    // Signals are taken by one thread with sigwait, so shutdown runs outside a signal handler.
    // A shell starts background jobs with SIGINT ignored; an ignored signal never reaches sigwait.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    S3FileServer server(config, credentials);
    if (!server.start(error)) {
        std::cerr << "s3file-server: " << error << "\n";
        return 1;
    }
    std::printf("s3file-server: app http://%s:%d/\n", config.bind.c_str(), server.app_port());
    if (server.emulating())
        std::printf("s3file-server: storage http://%s:%d/%s (S3 emulator, files in %s)\n", config.bind.c_str(),
                    server.s3_port(), config.bucket.c_str(), std::filesystem::absolute(config.storage).c_str());
    else
        std::printf("s3file-server: policies for %s/%s (region %s)\n", config.s3_endpoint.c_str(),
                    config.bucket.c_str(), config.region.c_str());
    if (!from_environment) std::printf("s3file-server: access key %s (random per start)\n", credentials.access_key.c_str());
    std::fflush(stdout);

    int received = 0;
    sigwait(&signals, &received);
    std::printf("s3file-server: %s, shutting down\n", received == SIGINT ? "SIGINT" : "SIGTERM");
    server.stop();
    return 0;
}
