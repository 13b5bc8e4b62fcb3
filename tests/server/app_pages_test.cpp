// The app port's pages: the django-style /form and the built widget served from dist/.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

#include "server/server_fixture.hpp"

#include "app/static_files.hpp"

namespace {

std::string between(const std::string& text, const std::string& from, const std::string& to) {
    const auto a = text.find(from);
    const auto b = text.find(to, a == std::string::npos ? 0 : a);
    REQUIRE(a != std::string::npos);
    REQUIRE(b != std::string::npos);
    return text.substr(a + from.size(), b - a - from.size());
}

bool blank(const std::string& text) { return text.find_first_not_of(" \r\n\t") == std::string::npos; }

void write_file(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

}  // namespace

TEST_CASE("/form: lang, viewport, title, stylesheet, the django drop-in script and a main landmark") {
    Running r;
    auto res = r.app->Get("/form");
    REQUIRE(res);
    CHECK(res->status == 200);
    const std::string& html = res->body;
    CHECK(html.find("<html lang=\"en\">") != std::string::npos);
    CHECK(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") != std::string::npos);
    CHECK_FALSE(blank(between(html, "<title>", "</title>")));
    CHECK(html.find("<link rel=\"stylesheet\" href=\"/demo/demo.css\">") != std::string::npos);
    CHECK(html.find("<script type=\"module\" src=\"/s3file-django.js\"></script>") != std::string::npos);
    CHECK(html.find("/s3file.js") == std::string::npos);
    // axe's landmark-one-main and region: one <main>, and nothing but scripts outside it.
    const std::string body = between(html, "<body>", "</body>");
    CHECK(blank(between(body, "", "<main>")));
    CHECK(body.find("<main>") == body.rfind("<main>"));
    const std::string after = body.substr(body.find("</main>") + 7);
    CHECK(blank(std::regex_replace(after, std::regex("<script>[\\s\\S]*?</script>"), "")));
    const std::string main = between(body, "<main>", "</main>");
    for (const char* part : {"<h1>", "id=\"upload-form\"", "id=\"outside\"", "id=\"id_multiple_file\""}) {
        INFO(part);
        CHECK(main.find(part) != std::string::npos);
    }
}

TEST_CASE("/form: every visible input has a label, and the inputs keep django-s3file's markup") {
    Running r;
    auto res = r.app->Get("/form?initial=tmp/s3file/old/a.txt");
    REQUIRE(res);
    const std::string& html = res->body;
    const std::regex input("<input type=\"([a-z]+)\"[^>]*?id=\"([^\"]+)\"");
    std::size_t labelled = 0;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), input); it != std::sregex_iterator(); ++it) {
        const std::string type = (*it)[1], id = (*it)[2];
        if (type == "hidden" || type == "submit") continue;  // no label: not shown / named by its value
        INFO(id);
        CHECK(html.find("<label for=\"" + id + "\">") != std::string::npos);
        ++labelled;
    }
    CHECK(labelled == 5);  // file, file-clear, other_file, multiple_file, title
    // The seed widget's attributes, in its order (protocol.md §3).
    const std::string s3 = "http://127.0.0.1:" + std::to_string(r.server->s3_port()) + "/s3file";
    const std::regex seed("<input type=\"file\" name=\"multiple_file\" id=\"id_multiple_file\" class=\"s3file\" "
                          "data-url=\"" + s3 + "\" data-fields-key=\"tmp/s3file/[A-Za-z0-9_-]+/\\$\\{filename\\}\" "
                          "data-fields-x-amz-algorithm=\"AWS4-HMAC-SHA256\" data-fields-x-amz-credential=\"[^\"]+\" "
                          "data-fields-x-amz-date=\"[0-9TZ]+\" data-fields-policy=\"[A-Za-z0-9+/=]+\" "
                          "data-fields-x-amz-signature=\"[0-9a-f]{64}\" data-s3f-signature=\"[A-Za-z0-9_-]{43}\" multiple>");
    CHECK(std::regex_search(html, seed));
}

TEST_CASE("static files: nested paths and esbuild chunks are JavaScript, .wasm is application/wasm") {
    const fs::path web = fs::temp_directory_path() / ("s3file-web-" + random_token(6));
    write_file(web / "s3file.js", "export {};");
    write_file(web / "s3file-django.js", "import './chunk-ABC123.js';");
    write_file(web / "chunk-ABC123.js", "export const x = 1;");
    write_file(web / "locales" / "de.js", "export default {};");
    write_file(web / "s3file-engine.wasm", std::string("\0asm\1\0\0\0", 8));
    write_file(web / "engine.mjs", "export {};");
    write_file(web / "s3file.js.map", "{\"version\":3}");
    write_file(web / "demo" / "demo.css", "main {}");
    {
        Running r(1024 * 1024, [&](ServerConfig& config) { config.web_root = web.string(); });
        const std::pair<const char*, const char*> cases[] = {
            {"/s3file.js", "text/javascript"},        {"/s3file-django.js", "text/javascript"},
            {"/chunk-ABC123.js", "text/javascript"},  {"/locales/de.js", "text/javascript"},
            {"/engine.mjs", "text/javascript"},       {"/s3file-engine.wasm", "application/wasm"},
            {"/s3file.js.map", "application/json"},   {"/demo/demo.css", "text/css"},
        };
        for (const auto& [path, type] : cases) {
            INFO(path);
            auto res = r.app->Get(path);
            REQUIRE(res);
            CHECK(res->status == 200);
            CHECK(res->get_header_value("Content-Type") == type);
            std::ifstream in(web / (path + 1), std::ios::binary);
            CHECK(res->body == std::string(std::istreambuf_iterator<char>(in), {}));
        }
        auto missing = r.app->Get("/locales/fr.js");
        REQUIRE(missing);
        CHECK(missing->status == 404);
        auto escape = r.app->Get("/../" + web.filename().string() + "/s3file.js");
        REQUIRE(escape);
        CHECK(escape->status != 200);
    }
    fs::remove_all(web);
}

namespace {

/// A dist/ with one module and its siblings.
fs::path built_web() {
    const fs::path web = fs::temp_directory_path() / ("s3file-web-" + random_token(6));
    write_file(web / "s3file.js", "export const plain = 1;");
    write_file(web / "s3file.js.br", "brotli bytes of s3file.js");
    write_file(web / "s3file.js.gz", "gzip bytes of s3file.js");
    write_file(web / "chunk-7QX2KDLM.js", "export const hashed = 1;");
    return web;
}

}  // namespace

TEST_CASE("static files: a precompressed sibling is sent as it is, Brotli first, never compressed on the fly") {
    const fs::path web = built_web();
    {
        Running r(1024 * 1024, [&](ServerConfig& config) { config.web_root = web.string(); });
        r.app->set_decompress(false);  // the bytes as sent
        const std::tuple<const char*, const char*, const char*> cases[] = {
            {"br, gzip, deflate", "br", "brotli bytes of s3file.js"},
            {"gzip, deflate, br;q=0", "gzip", "gzip bytes of s3file.js"},
            {"gzip;q=0.5, br;q=1.0", "br", "brotli bytes of s3file.js"},
            {"*", "br", "brotli bytes of s3file.js"},
            {"identity", "", "export const plain = 1;"},
            {"br;q=0, gzip;q=0.000", "", "export const plain = 1;"},
        };
        for (const auto& [accept, coding, body] : cases) {
            INFO(accept);
            auto res = r.app->Get("/s3file.js", {{"Accept-Encoding", accept}});
            REQUIRE(res);
            CHECK(res->status == 200);
            CHECK(res->get_header_value("Content-Encoding") == coding);
            CHECK(res->get_header_value("Content-Type") == "text/javascript");
            CHECK(res->get_header_value("Vary") == "Accept-Encoding");
            CHECK(res->body == body);
        }
        // A file without siblings goes out as it is, whatever the client accepts: cpp-httplib's
        // mount point Brotli-compressed each response as it sent it.
        auto chunk = r.app->Get("/chunk-7QX2KDLM.js", {{"Accept-Encoding", "br, gzip"}});
        REQUIRE(chunk);
        CHECK(chunk->get_header_value("Content-Encoding").empty());
        CHECK(chunk->body == "export const hashed = 1;");
    }
    fs::remove_all(web);
}

TEST_CASE("static files: validators give a return visit a 304, hashed chunks are cached for a year") {
    const fs::path web = built_web();
    {
        Running r(1024 * 1024, [&](ServerConfig& config) { config.web_root = web.string(); });
        r.app->set_decompress(false);
        auto first = r.app->Get("/s3file.js", {{"Accept-Encoding", "br"}});
        REQUIRE(first);
        const std::string etag = first->get_header_value("ETag");
        CHECK(std::regex_match(etag, std::regex("\"[0-9a-f]+-[0-9a-f]+-br\"")));
        CHECK(first->get_header_value("Cache-Control") == "no-cache");
        auto again = r.app->Get("/s3file.js", {{"Accept-Encoding", "br"}, {"If-None-Match", "\"other\", W/" + etag}});
        REQUIRE(again);
        CHECK(again->status == 304);
        CHECK(again->body.empty());
        CHECK(again->get_header_value("ETag") == etag);
        // Another encoding is another representation: its own tag, so the br tag does not match.
        auto gzip = r.app->Get("/s3file.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", etag}});
        REQUIRE(gzip);
        CHECK(gzip->status == 200);
        CHECK(gzip->body == "gzip bytes of s3file.js");
        // A new build changes the file: the old tag no longer matches.
        write_file(web / "s3file.js", "export const plain = 22;");  // another size: mtimes can tie
        auto changed = r.app->Get("/s3file.js", {{"If-None-Match", first->get_header_value("ETag")}});
        REQUIRE(changed);
        CHECK(changed->status == 200);
        CHECK(changed->body == "export const plain = 22;");
        auto chunk = r.app->Get("/chunk-7QX2KDLM.js");
        REQUIRE(chunk);
        CHECK(chunk->get_header_value("Cache-Control") == "public, max-age=31536000, immutable");
    }
    fs::remove_all(web);
}

TEST_CASE("static files: hidden names, dot segments and links out of dist/ are not found") {
    const fs::path web = built_web();
    const fs::path outside = fs::temp_directory_path() / ("s3file-outside-" + random_token(6));
    write_file(outside / "secret.txt", "not for the web");
    write_file(web / ".env", "SECRET=1");
    std::error_code error;
    fs::create_symlink(outside / "secret.txt", web / "linked.txt", error);
    REQUIRE_FALSE(error);
    {
        Running r(1024 * 1024, [&](ServerConfig& config) { config.web_root = web.string(); });
        const std::string name = outside.filename().string();
        for (const std::string& path : std::vector<std::string>{"/.env", "/./s3file.js", "/demo/../s3file.js", "/%2e%2e/" + name + "/secret.txt",
                                       "/linked.txt", "/s3file.js%00.png", "/..%5c" + name + "%5csecret.txt"}) {
            INFO(path);
            auto res = r.app->Get(path);
            REQUIRE(res);
            CHECK(res->status == 404);
            CHECK(res->body.find("not for the web") == std::string::npos);
            CHECK(res->body.find(web.string()) == std::string::npos);
        }
    }
    fs::remove_all(web);
    fs::remove_all(outside);
}

TEST_CASE("static_content_type, static_cache_control and accepts_encoding") {
    CHECK(static_cache_control("s3file-engine-0A1B2C3D.wasm") == "public, max-age=31536000, immutable");
    CHECK(static_cache_control("s3file-engine.wasm") == "no-cache");
    CHECK(static_cache_control("s3file.js") == "no-cache");
    CHECK(static_cache_control("chunk-abcdefgh.js") == "no-cache");
    CHECK(static_content_type("a.JS") == "text/javascript");
    CHECK(static_content_type("s3file.d.ts") == "text/plain; charset=utf-8");
    CHECK(static_content_type("index.html") == "text/html; charset=utf-8");
    CHECK(static_content_type("README") == "application/octet-stream");
    CHECK(accepts_encoding("gzip, BR", "br"));
    CHECK_FALSE(accepts_encoding("gzip", "br"));
    CHECK_FALSE(accepts_encoding("br;q=0", "br"));
    CHECK(accepts_encoding("br;q=0.001", "br"));
    CHECK_FALSE(accepts_encoding("", "gzip"));
}
