#include "http/s3_error.hpp"

#include "http/json_input.hpp"

namespace s3file::server {

namespace {
const char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// XML 1.0 §2.2: a document holds only Char = #x9 | #xA | #xD | [#x20-#xD7FF] |
// [#xE000-#xFFFD] | [#x10000-#x10FFFF], not even as a character reference. `length` is that of
// a well-formed UTF-8 sequence at `at` (which never encodes a surrogate).
bool is_xml_char(const std::string& text, std::size_t at, std::size_t length) {
    const unsigned char c = static_cast<unsigned char>(text[at]);
    if (length == 1) return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
    const bool nonchar = length == 3 && c == 0xEF && static_cast<unsigned char>(text[at + 1]) == 0xBF &&
                         static_cast<unsigned char>(text[at + 2]) >= 0xBE;  // U+FFFE, U+FFFF
    return !nonchar;
}

void append_escaped(char c, std::string& out) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    default: out += c;
    }
}

std::string element(const std::string& name, const std::string& text) {
    return "<" + name + ">" + xml_escape(text) + "</" + name + ">";
}
}  // namespace

std::string xml_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) append_escaped(c, out);
    return out;
}

std::string xml_escape_untrusted(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = utf8_sequence_length(text, at);
        if (length == 0 || !is_xml_char(text, at, length)) {
            out += kReplacement;
            at += length == 0 ? 1 : length;
        } else if (length == 1) {
            append_escaped(text[at++], out);
        } else {
            out.append(text, at, length);
            at += length;
        }
    }
    return out;
}

std::string s3_error_xml(const S3Failure& failure, const std::string& request_id) {
    // A message or an extra element (Key, Header, …) may echo any bytes of the request.
    const auto echoed = [](const std::string& name, const std::string& text) {
        return "<" + name + ">" + xml_escape_untrusted(text) + "</" + name + ">";
    };
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>";
    xml += element("Code", failure.code) + echoed("Message", failure.message);
    for (const auto& entry : failure.extra) xml += echoed(entry.first, entry.second);
    xml += element("RequestId", request_id) + element("HostId", "s3file-emulator") + "</Error>";
    return xml;
}

std::string post_response_xml(const std::string& location, const std::string& bucket,
                              const std::string& key, const std::string& etag) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse>" + element("Location", location) +
           element("Bucket", bucket) + element("Key", key) + element("ETag", etag) + "</PostResponse>";
}

}  // namespace s3file::server
