#include "app/app.hpp"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "app/file_refusal.hpp"
#include "app/form_receiver.hpp"
#include "app/static_files.hpp"
#include "http/http_util.hpp"
#include "http/json_input.hpp"
#include "http/s3_error.hpp"

namespace s3file::server {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

void send_json(httplib::Response& response, int status, const ordered_json& body) {
    response.status = status;
    // The charset matters where a browser shows the answer as a page (/submit's, after a form
    // post): WebKit reads a charset-less application/json as Latin-1, so "é" became "Ã©".
    response.set_content(dump_json(body), "application/json; charset=utf-8");
}

// /_faults changes how storage answers: only this server's own pages and tools may call it.
// A page elsewhere can post text/plain without a preflight (CSRF), and a DNS-rebinding page
// reaches loopback under its own host name (one that resolves to 127.0.0.1, so same-origin to
// the page); JSON, a Host written as a loopback address or localhost (never looked up) and a
// same-origin Origin rule both out. Empty when allowed, else the reason.
std::string faults_refusal(const httplib::Request& request) {
    if (request.method == "POST" && request.get_header_value("Content-Type").rfind("application/json", 0) != 0)
        return "/_faults takes Content-Type: application/json";
    const std::string host = request.get_header_value("Host");
    if (host.empty()) return "/_faults answers only on a loopback host name";
    const std::string name = host.front() == '[' ? host.substr(1, host.find(']') - 1) : host.substr(0, host.find(':'));
    if (!is_loopback_literal(name)) return "/_faults answers only on a loopback host name";
    if (request.has_header("Origin") && request.get_header_value("Origin") != "http://" + host)
        return "/_faults refuses cross-origin requests";
    const std::string site = request.get_header_value("Sec-Fetch-Site");
    if (!site.empty() && site != "same-origin" && site != "none") return "/_faults refuses cross-site requests";
    return "";
}

// The elements of a JSON list, or the value itself: pointers into the request, never a copy.
std::vector<const json*> entries_of(const json& value) {
    std::vector<const json*> entries;
    if (value.is_array())
        for (const auto& entry : value) entries.push_back(&entry);
    else
        entries.push_back(&value);
    return entries;
}

// Reads one {"name", "size", "type", "field"} entry; false with a reason on bad input.
bool read_file_request(const json& entry, FileRequest& out, std::string& error) {
    if (!entry.is_object()) {
        error = "each file must be an object {name, size, type, field}";
        return false;
    }
    const auto name = entry.find("name");
    const auto size = entry.find("size");
    if (name == entry.end() || !name->is_string() || name->get<std::string>().empty()) {
        error = "'name' must be a non-empty string";
        return false;
    }
    if (size == entry.end() || !size->is_number_integer() || size->get<std::int64_t>() < 0) {
        error = "'size' must be a non-negative integer (bytes)";
        return false;
    }
    out.name = name->get<std::string>();
    out.size = size->get<std::uint64_t>();
    out.type = entry.contains("type") && entry["type"].is_string() ? entry["type"].get<std::string>() : "";
    out.field = entry.contains("field") && entry["field"].is_string() ? entry["field"].get<std::string>() : "file";
    return true;
}

// Every file is checked before any policy is issued: a batch is refused whole (400), so the page
// never starts uploads it would have to take back. True when it answered.
bool refuse_doomed(const IssuerConfig& issuer, const std::vector<FileRequest>& requested, bool batch,
                   httplib::Response& response) {
    ordered_json verdicts = ordered_json::array();
    std::size_t refused = 0;
    for (const FileRequest& file : requested) {
        const FileRefusal refusal = check_file(issuer, file);
        refused += refusal ? 1 : 0;
        verdicts.push_back(refusal_to_json(refusal, issuer));
    }
    if (refused == 0) return false;
    // A single file (no "files" list) is answered unwrapped, like its policy would have been; a
    // list of one says the file's own sentence, which a client showing only "error" shows best.
    if (!batch) {
        send_json(response, 400, verdicts[0]);
    } else {
        const std::string summary = requested.size() == 1 ? verdicts[0]["error"].get<std::string>()
                                                          : refusal_summary(refused, requested.size());
        send_json(response, 400, {{"error", summary}, {"files", verdicts}});
    }
    return true;
}

// XML's five escapes are also what an HTML attribute or text needs.
std::string html_escape(const std::string& text) { return xml_escape(text); }

}  // namespace

namespace {

// Where the server itself reaches the store: the real one, or the emulator on this host.
std::string store_endpoint(const ServerConfig& config, int s3_port) {
    if (!config.s3_endpoint.empty()) return config.s3_endpoint;
    const std::string host = config.bind == "0.0.0.0" ? "127.0.0.1" : config.bind == "::" ? "[::1]" : config.bind;
    return "http://" + (host.find(':') != std::string::npos && host.front() != '[' ? "[" + host + "]" : host) + ":" +
           std::to_string(s3_port);
}

}  // namespace

App::App(ServerConfig config, IssuerConfig issuer, const ObjectStore* store, FaultPlan& faults, int s3_port)
    : config_(std::move(config)), issuer_(std::move(issuer)), store_(store), faults_(faults), s3_port_(s3_port),
      companion_(CompanionConfig{issuer_, config_.multipart_max_size(),
                                 [this](const httplib::Request& request) {
                                     const std::string url = bucket_url(request);
                                     return url.substr(0, url.rfind('/'));
                                 }},
                 S3Client(store_endpoint(config_, s3_port), config_.bucket, config_.region, issuer_.credentials)) {}

std::string App::bucket_url(const httplib::Request& request) const {
    if (!config_.s3_endpoint.empty()) {
        std::string endpoint = config_.s3_endpoint;
        while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
        return endpoint + "/" + config_.bucket;
    }
    return origin_for(request, s3_port_) + "/" + config_.bucket;
}

void App::install(httplib::Server& server) {
    server.Post("/api/policy", [this](const httplib::Request& q, httplib::Response& r) { policy(q, r); });
    server.Post("/submit", [this](const httplib::Request& q, httplib::Response& r) { submit(q, r); });
    companion_.install(server);
    server.Get("/form", [this](const httplib::Request& q, httplib::Response& r) { form_page(q, r); });
    const std::filesystem::path web = config_.web_root;
    server.Get("/", [web](const httplib::Request& request, httplib::Response& response) {
        if (!std::filesystem::is_regular_file(web / "demo" / "index.html")) {
            response.status = 404;
            response.set_content("The demo is not built: run npm run build.\n", "text/plain");
            return;
        }
        serve_static(web, "/demo/index.html", request, response);
    });
    // Browsers ask for it on every page, the JSON answers of /submit included.
    server.Get("/favicon.ico", [](const httplib::Request&, httplib::Response& response) { response.status = 204; });
    if (is_loopback(config_.bind)) {
        server.Get("/_faults", [this](const httplib::Request& q, httplib::Response& r) { faults(q, r); });
        server.Post("/_faults", [this](const httplib::Request& q, httplib::Response& r) { faults(q, r); });
        server.Delete("/_faults", [this](const httplib::Request& q, httplib::Response& r) { faults(q, r); });
    }
    // dist/: registered last, so every route above comes first.
    server.Get("/.+", [web](const httplib::Request& request, httplib::Response& response) {
        serve_static(web, request.path, request, response);
    });
}

void App::policy(const httplib::Request& request, httplib::Response& response) {
    json body;
    std::string error;
    if (!parse_json_bounded(request.body, body, error)) return send_json(response, 400, {{"error", error}});
    if (!body.is_object()) return send_json(response, 400, {{"error", "the body must be a JSON object"}});
    const auto files = body.find("files");
    const bool batch = files != body.end();
    if (batch && (!files->is_array() || files->empty() || files->size() > 1000))
        return send_json(response, 400, {{"error", "'files' must be a list of 1 to 1000 files"}});
    std::vector<FileRequest> requested;
    for (const json* entry : entries_of(batch ? *files : body)) {
        requested.emplace_back();
        if (!read_file_request(*entry, requested.back(), error)) return send_json(response, 400, {{"error", error}});
    }
    if (refuse_doomed(issuer_, requested, batch, response)) return;
    ordered_json issued = ordered_json::array();
    const std::time_t now = std::time(nullptr);
    const std::string url = bucket_url(request);
    for (const FileRequest& file : requested)
        issued.push_back(policy_to_json(issue_policy(issuer_, url, file, now), file.field));
    send_json(response, 200, batch ? ordered_json{{"files", issued}} : issued[0]);
}

void App::submit(const httplib::Request& request, httplib::Response& response) {
    ReceiverConfig receiver{issuer_.upload_prefix, issuer_.secret, config_.bucket, store_};
    int status = 0;
    const ordered_json result = receive_form(receiver, read_form(request), status);
    send_json(response, status, result);
}

std::string render_s3file_input(const IssuedPolicy& policy, const std::string& name, bool multiple,
                                const std::string& accept) {
    std::string html = "<input type=\"file\" name=\"" + html_escape(name) + "\" id=\"id_" + html_escape(name) +
                       "\" class=\"s3file\" data-url=\"" + html_escape(policy.url) + "\"";
    for (const auto& field : policy.fields) {
        // The seed's script appends these two itself (protocol.md §3).
        if (field.first == "success_action_status" || field.first == "Content-Type") continue;
        // HTML lower-cases attribute names anyway.
        html += " data-fields-" + html_escape(ascii_lower(field.first)) + "=\"" + html_escape(field.second) + "\"";
    }
    html += " data-s3f-signature=\"" + html_escape(policy.signature) + "\"";
    if (multiple) html += " multiple";
    if (!accept.empty()) html += " accept=\"" + html_escape(accept) + "\"";
    return html + ">";
}

void App::form_page(const httplib::Request& request, httplib::Response& response) {
    const std::time_t now = std::time(nullptr);
    const std::string url = bucket_url(request);
    const std::string accept = accept_attribute(config_.accept);
    // ?initial=<key>: an existing value, rendered like Django's ClearableFileInput.
    std::string current;
    if (request.has_param("initial")) {
        const std::string initial = html_escape(request.get_param_value("initial"));
        current = "Currently: <a href=\"" + html_escape(bucket_url(request)) + "/" + initial + "\" id=\"current_file\">" +
                  initial + "</a> <input type=\"checkbox\" name=\"file-clear\" id=\"file-clear_id\">"
                  " <label for=\"file-clear_id\">Clear</label><br>Change: ";
    }
    // One signed folder per input, exactly like the seed's widget.
    auto input = [&](const std::string& name, bool multiple) {
        return render_s3file_input(issue_policy(issuer_, url, FileRequest{"", 0, "", name}, now), name, multiple, accept);
    };
    std::string html = R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>s3file — django-style form</title>
<link rel="stylesheet" href="/demo/demo.css">
<script type="module" src="/s3file-django.js"></script>
</head>
<body>
<main>
<h1>Upload</h1>
<form method="post" action="/submit" enctype="multipart/form-data" id="upload-form">
<input type="hidden" name="progress" id="id_progress" value="">
<p><label for="id_file">File</label> )" + current + input("file", false) + R"(</p>
<p><label for="id_other_file">Other file</label> )" + input("other_file", false) + R"(</p>
<p><label for="id_multiple_file">Several files</label> )" + input("multiple_file", true) + R"(</p>
<p><label for="id_title">Title</label> <input type="text" name="title" id="id_title" value=""></p>
<p>
<input type="submit" name="save" value="Save" id="save">
<button type="submit" name="save_continue" value="continue" id="save_continue">Save and continue</button>
<button name="save_plain" id="save_plain">Save (no value)</button>
</p>
</form>
<button type="submit" form="upload-form" name="outside" value="yes" id="outside">Submit from outside</button>
</main>
<script>
  // Like the seed's test page: the last progress value is submitted with the form.
  document.getElementById('upload-form').addEventListener('progress', function (event) {
    document.getElementById('id_progress').value = event.detail.progress;
  });
</script>
</body>
</html>
)";
    response.set_content(html, "text/html; charset=utf-8");
}

void App::faults(const httplib::Request& request, httplib::Response& response) {
    const std::string refusal = faults_refusal(request);
    if (!refusal.empty()) return send_json(response, 403, {{"error", refusal}});
    if (request.method == "DELETE") faults_.clear();
    if (request.method == "POST") {
        json body;
        std::string error;
        if (!parse_json_bounded(request.body, body, error)) return send_json(response, 400, {{"error", error}});
        std::vector<std::pair<Fault, int>> parsed;  // all or nothing
        for (const json* entry : entries_of(body)) {
            Fault fault;
            int count = 1;
            if (!parse_fault(*entry, fault, count, error)) return send_json(response, 400, {{"error", error}});
            parsed.emplace_back(fault, count);
        }
        if (!faults_.push_all(parsed))
            return send_json(response, 400, {{"error", "at most " + std::to_string(kMaxPendingFaults) + " faults may be pending"}});
    }
    send_json(response, 200, ordered_json(faults_.describe()));
}

}  // namespace s3file::server
