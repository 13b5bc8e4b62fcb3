#include "s3_response.hpp"

namespace s3file {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Skips the XML declaration, comments and white space before the root element.
std::size_t skip_prolog(const std::string& xml) {
    std::size_t pos = 0;
    for (;;) {
        while (pos < xml.size() && is_space(xml[pos])) ++pos;
        if (xml.compare(pos, 2, "<?") == 0) {
            std::size_t end = xml.find("?>", pos);
            if (end == std::string::npos) return std::string::npos;
            pos = end + 2;
        } else if (xml.compare(pos, 4, "<!--") == 0) {
            std::size_t end = xml.find("-->", pos);
            if (end == std::string::npos) return std::string::npos;
            pos = end + 3;
        } else {
            return pos;
        }
    }
}

void append_utf8(std::string& out, unsigned long cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool parse_char_ref(const std::string& ref, unsigned long& cp) {
    // ref is what stands between "&#" and ";"
    const bool hex = !ref.empty() && (ref[0] == 'x' || ref[0] == 'X');
    const std::size_t start = hex ? 1 : 0;
    if (ref.size() <= start || ref.size() - start > 8) return false;
    cp = 0;
    for (std::size_t i = start; i < ref.size(); ++i) {
        const char c = ref[i];
        int digit;
        if (c >= '0' && c <= '9') digit = c - '0';
        else if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        else return false;
        cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(digit);
    }
    return cp > 0 && cp <= 0x10FFFF;
}

// Decodes the five predefined entities and character references; false on anything else.
bool decode_text(const std::string& raw, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '<') return false;  // nested markup: not a text element
        if (c != '&') {
            out += c;
            continue;
        }
        const std::size_t semi = raw.find(';', i);
        if (semi == std::string::npos) return false;
        const std::string name = raw.substr(i + 1, semi - i - 1);
        unsigned long cp = 0;
        if (name == "amp") out += '&';
        else if (name == "lt") out += '<';
        else if (name == "gt") out += '>';
        else if (name == "quot") out += '"';
        else if (name == "apos") out += '\'';
        else if (name.size() > 1 && name[0] == '#' && parse_char_ref(name.substr(1), cp))
            append_utf8(out, cp);
        else return false;
        i = semi;
    }
    return true;
}

// Finds the root element's content: [begin, end) between <root …> and </root>.
bool root_content(const std::string& xml, const std::string& root, std::size_t& begin,
                  std::size_t& end) {
    const std::size_t start = skip_prolog(xml);
    if (start == std::string::npos) return false;
    const std::string open = "<" + root;
    if (xml.compare(start, open.size(), open) != 0) return false;
    const std::size_t after_name = start + open.size();
    if (after_name >= xml.size()) return false;
    const char next = xml[after_name];
    if (next != '>' && !is_space(next)) return false;  // e.g. <PostResponseX>
    const std::size_t open_end = xml.find('>', after_name);
    if (open_end == std::string::npos) return false;
    const std::string close = "</" + root + ">";
    const std::size_t close_pos = xml.rfind(close);
    if (close_pos == std::string::npos || close_pos < open_end) return false;
    // Nothing but white space may follow the root element (a truncated body cannot).
    for (std::size_t i = close_pos + close.size(); i < xml.size(); ++i)
        if (!is_space(xml[i])) return false;
    begin = open_end + 1;
    end = close_pos;
    return true;
}

}  // namespace

bool xml_child_text(const std::string& xml, const std::string& root, const std::string& tag,
                    std::string& out) {
    std::size_t begin = 0, end = 0;
    if (!root_content(xml, root, begin, end)) return false;
    const std::string open = "<" + tag + ">";
    const std::string close = "</" + tag + ">";
    const std::size_t at = xml.find(open, begin);
    if (at == std::string::npos || at >= end) return false;
    const std::size_t text = at + open.size();
    const std::size_t stop = xml.find(close, text);
    if (stop == std::string::npos || stop > end) return false;
    return decode_text(xml.substr(text, stop - text), out);
}

bool parse_post_response(const std::string& body, PostResult& out, std::string& error) {
    std::size_t begin = 0, end = 0;
    if (body.empty()) {
        error = "storage answered with an empty body instead of a PostResponse";
        return false;
    }
    if (!root_content(body, "PostResponse", begin, end)) {
        error = "storage answered with something that is not a complete S3 PostResponse";
        return false;
    }
    if (!xml_child_text(body, "PostResponse", "Key", out.key) || out.key.empty()) {
        error = "the S3 PostResponse has no Key";
        return false;
    }
    // ETag, Location and Bucket are informative; S3 sends them, other stores may not.
    if (!xml_child_text(body, "PostResponse", "ETag", out.etag)) out.etag.clear();
    if (!xml_child_text(body, "PostResponse", "Location", out.location)) out.location.clear();
    if (!xml_child_text(body, "PostResponse", "Bucket", out.bucket)) out.bucket.clear();
    return true;
}

bool parse_s3_error(const std::string& body, S3Error& out, std::string& error) {
    std::size_t begin = 0, end = 0;
    if (!root_content(body, "Error", begin, end)) {
        error = body.empty() ? "empty error body" : "error body is not an S3 Error document";
        return false;
    }
    if (!xml_child_text(body, "Error", "Code", out.code) || out.code.empty()) {
        error = "the S3 Error document has no Code";
        return false;
    }
    if (!xml_child_text(body, "Error", "Message", out.message)) out.message.clear();
    if (!xml_child_text(body, "Error", "MaxSizeAllowed", out.max_size_allowed))
        out.max_size_allowed.clear();
    if (!xml_child_text(body, "Error", "MinSizeAllowed", out.min_size_allowed))
        out.min_size_allowed.clear();
    return true;
}

}  // namespace s3file
