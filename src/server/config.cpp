#include "config.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <cstdlib>

#include "http/http_util.hpp"

namespace s3file::server {

namespace {

// "[::1]" → "::1": an IPv6 address as written in a URL or a Host header.
std::string unbracketed(const std::string& host) {
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
    return host;
}

bool parse_number(const std::string& text, std::uint64_t max, std::uint64_t& out) {
    if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
        return false;
    out = std::stoull(text);
    return out <= max;
}

// "10MB", "5GiB", "1048576": sizes in bytes with optional binary units.
bool parse_size(std::string text, std::uint64_t& out) {
    std::uint64_t unit = 1;
    const struct { const char* suffix; std::uint64_t factor; } units[] = {
        {"GiB", 1ull << 30}, {"MiB", 1ull << 20}, {"KiB", 1ull << 10},
        {"GB", 1ull << 30},  {"MB", 1ull << 20},  {"KB", 1ull << 10}, {"B", 1}};
    for (const auto& u : units) {
        const std::string suffix = u.suffix;
        if (text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
            unit = u.factor;
            text.resize(text.size() - suffix.size());
            break;
        }
    }
    std::uint64_t value = 0;
    if (!parse_number(text, (1ull << 62) / unit, value)) return false;
    out = value * unit;
    return true;
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from <= text.size()) {
        std::size_t at = text.find(',', from);
        if (at == std::string::npos) at = text.size();
        std::string item = text.substr(from, at - from);
        const auto begin = item.find_first_not_of(' ');
        const auto end = item.find_last_not_of(' ');
        if (begin != std::string::npos) out.push_back(item.substr(begin, end - begin + 1));
        from = at + 1;
    }
    return out;
}

}  // namespace

std::string usage() {
    return R"(Usage: s3file-server [options]

The s3file server: issues AWS SigV4 POST policies (/api/policy), emulates S3's POST Object on
its own port, verifies submitted forms like django-s3file's middleware (/submit), and serves
the demo (/) and the django-style test form (/form).

Options:
  --port N            app port (default 8080; 0 = ephemeral)
  --s3-port N         storage (S3 emulator) port (default port+1; 0 = ephemeral)
  --bind ADDR         address to listen on (default 127.0.0.1)
  --storage DIR       where the emulator stores objects (default ./s3file-storage)
  --bucket NAME       bucket name (default s3file)
  --region NAME       AWS region for signing (default us-east-1)
  --upload-prefix P   folder for uploads (default tmp/s3file)
  --max-size SIZE     largest upload, e.g. 10MB or 1048576 (default 5GB for a single
                      POST, S3's 5TiB for multipart uploads)
  --accept LIST       accepted content types, e.g. "image/*,application/pdf" (default any)
  --expires SECONDS   policy and part-URL lifetime (default 3600)
  --multipart-expiry SECONDS
                      the emulator removes multipart uploads neither completed nor
                      aborted after this long, with their parts (default 86400)
  --secret TEXT       form-signing secret (default: random per start, with a warning)
  --s3-endpoint URL   issue policies for this real S3 endpoint instead of emulating
                      (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
                      [/ AWS_SESSION_TOKEN])
  --web DIR           the built widget and demo (default: dist/ of the source tree)
  --check-deploy      check the configuration for deployment and exit
  --help              this text
)";
}

bool is_loopback_literal(const std::string& host) {
    const std::string name = ascii_lower(unbracketed(host));
    if (name == "localhost") return true;  // loopback by RFC 6761; browsers never ask DNS for it
    in_addr v4{};
    if (inet_pton(AF_INET, name.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    return inet_pton(AF_INET6, name.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

bool is_loopback(const std::string& address) {
    // Decided on what the name resolves to, as the server binds it (cpp-httplib passes it to
    // getaddrinfo): "127.example.test" may well resolve to 0.0.0.0. Every address must be
    // loopback; a name that does not resolve is not.
    const std::string host = unbracketed(address);
    if (host.empty()) return false;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) return false;
    bool loopback = true;
    for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
        if (a->ai_family == AF_INET) {
            const auto* in = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
            loopback = loopback && (ntohl(in->sin_addr.s_addr) >> 24) == 127;
        } else if (a->ai_family == AF_INET6) {
            const auto* in6 = reinterpret_cast<const sockaddr_in6*>(a->ai_addr);
            loopback = loopback && IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
        } else {
            loopback = false;
        }
    }
    freeaddrinfo(found);
    return loopback;
}

bool parse_args(int argc, char** argv, ServerConfig& config, std::string& error) {
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--help" || flag == "-h") {
            config.help = true;
            continue;
        }
        if (flag == "--check-deploy") {
            config.check_deploy = true;
            continue;
        }
        if (i + 1 >= argc) {
            error = flag.rfind("--", 0) == 0 ? flag + " needs a value" : "unknown argument: " + flag;
            return false;
        }
        const std::string value = argv[++i];
        std::uint64_t number = 0;
        if (flag == "--port" || flag == "--s3-port") {
            if (!parse_number(value, 65535, number)) {
                error = flag + " must be a port number (0-65535), not '" + value + "'";
                return false;
            }
            (flag == "--port" ? config.port : config.s3_port) = static_cast<int>(number);
        } else if (flag == "--max-size") {
            if (!parse_size(value, config.max_size)) {
                error = "--max-size must be a size like 10MB or 1048576, not '" + value + "'";
                return false;
            }
            config.max_size_given = true;
        } else if (flag == "--expires") {
            if (!parse_number(value, 7 * 24 * 3600, number) || number == 0) {
                error = "--expires must be 1..604800 seconds (SigV4's 7-day limit)";
                return false;
            }
            config.expires = static_cast<std::int64_t>(number);
        } else if (flag == "--multipart-expiry") {
            if (!parse_number(value, 365ull * 24 * 3600, number) || number == 0) {
                error = "--multipart-expiry must be 1..31536000 seconds";
                return false;
            }
            config.multipart_expiry = static_cast<std::int64_t>(number);
        } else if (flag == "--bind") config.bind = value;
        else if (flag == "--storage") config.storage = value;
        else if (flag == "--bucket") config.bucket = value;
        else if (flag == "--region") config.region = value;
        else if (flag == "--upload-prefix") config.upload_prefix = value;
        else if (flag == "--accept") config.accept = split_list(value);
        else if (flag == "--secret") config.secret = value;
        else if (flag == "--s3-endpoint") config.s3_endpoint = value;
        else if (flag == "--web") config.web_root = value;
        else {
            error = "unknown option: " + flag + " (see --help)";
            return false;
        }
    }
    if (config.s3_port < 0) config.s3_port = config.port == 0 ? 0 : config.port + 1;
    while (!config.upload_prefix.empty() && config.upload_prefix.back() == '/') config.upload_prefix.pop_back();
    if (config.upload_prefix.empty() || config.upload_prefix.front() == '/' ||
        config.upload_prefix.find("..") != std::string::npos) {
        error = "--upload-prefix must be a relative folder without '..'";
        return false;
    }
    if (config.bucket.size() < 3 || config.bucket.size() > 63 ||
        config.bucket.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != std::string::npos) {
        error = "--bucket must be 3-63 characters of a-z, 0-9, '.' and '-'";
        return false;
    }
    if (config.s3_port != 0 && config.s3_port == config.port) {
        error = "--s3-port must differ from --port (storage is its own origin)";
        return false;
    }
    return true;
}

std::vector<std::string> deploy_problems(const ServerConfig& config, bool secret_from_flag) {
    std::vector<std::string> problems;
    if (config.s3_endpoint.empty() && !is_loopback(config.bind))
        problems.push_back("the S3 emulator would serve " + config.bind +
                           ": it is for development and tests; use --s3-endpoint for real storage");
    static const char* const weak[] = {"secret", "changeme", "insecure", "django-insecure", "SuperSecretKey", "s3file"};
    bool is_weak = !secret_from_flag;
    for (const char* w : weak) is_weak = is_weak || config.secret == w;
    if (is_weak || config.secret.size() < 32)
        problems.push_back("the form-signing secret is missing, a default or shorter than 32 characters: pass --secret");
    return problems;
}

}  // namespace s3file::server
