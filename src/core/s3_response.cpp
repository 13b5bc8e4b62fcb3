#include "s3_response.hpp"

#include <cstring>

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

// `ref` is an entity name with its '#': "#38" or "#x26" (what stands between '&' and ';').
bool parse_char_ref(const std::string& ref, unsigned long& cp) {
    const bool hex = ref.size() > 1 && (ref[1] == 'x' || ref[1] == 'X');
    const std::size_t start = hex ? 2 : 1;
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

// Decodes xml[begin, end): the five predefined entities and character references; false on
// anything else. Works on the range in place: no copy of the text per element.
bool decode_text(const std::string& xml, std::size_t begin, std::size_t end, std::string& out) {
    out.clear();
    for (std::size_t i = begin; i < end; ++i) {
        const char c = xml[i];
        if (c == '<') return false;  // nested markup: not a text element
        if (c != '&') {
            out += c;
            continue;
        }
        const std::size_t semi = xml.find(';', i);
        if (semi == std::string::npos || semi >= end) return false;
        const std::string name = xml.substr(i + 1, semi - i - 1);
        unsigned long cp = 0;
        if (name == "amp") out += '&';
        else if (name == "lt") out += '<';
        else if (name == "gt") out += '>';
        else if (name == "quot") out += '"';
        else if (name == "apos") out += '\'';
        else if (name.size() > 1 && name[0] == '#' && parse_char_ref(name, cp))
            append_utf8(out, cp);
        else return false;
        i = semi;
    }
    return true;
}

// "<name>" or, with close, "</name>".
std::string markup(const char* name, bool close) {
    std::string out = close ? "</" : "<";
    out += name;
    out += '>';
    return out;
}

// Finds the root element's content: [begin, end) between <root …> and </root>.
bool root_content(const std::string& xml, const char* root, std::size_t& begin, std::size_t& end) {
    const std::size_t start = skip_prolog(xml);
    if (start == std::string::npos) return false;
    // "<root", then '>' or white space (attributes).
    const std::size_t name_size = std::strlen(root);
    if (xml.compare(start, 1, "<") != 0 || xml.compare(start + 1, name_size, root) != 0) return false;
    const std::size_t after_name = start + 1 + name_size;
    if (after_name >= xml.size()) return false;
    const char next = xml[after_name];
    if (next != '>' && !is_space(next)) return false;  // e.g. <PostResponseX>
    const std::size_t open_end = xml.find('>', after_name);
    if (open_end == std::string::npos) return false;
    const std::string close = markup(root, true);
    const std::size_t close_pos = xml.rfind(close);
    if (close_pos == std::string::npos || close_pos < open_end) return false;
    // Nothing but white space may follow the root element (a truncated body cannot).
    for (std::size_t i = close_pos + close.size(); i < xml.size(); ++i)
        if (!is_space(xml[i])) return false;
    begin = open_end + 1;
    end = close_pos;
    return true;
}

// Text of the first <tag>…</tag> inside the root content [begin, end), entities decoded.
bool child_text(const std::string& xml, std::size_t begin, std::size_t end, const char* tag,
                std::string& out) {
    const std::string open = markup(tag, false);
    const std::size_t at = xml.find(open, begin);
    if (at == std::string::npos || at >= end) return false;
    const std::size_t text = at + open.size();
    const std::size_t stop = xml.find(markup(tag, true), text);
    if (stop == std::string::npos || stop > end) return false;
    return decode_text(xml, text, stop, out);
}

// An optional element: its text, or empty when it is missing or not plain text.
void optional_child(const std::string& xml, std::size_t begin, std::size_t end, const char* tag,
                    std::string& out) {
    if (!child_text(xml, begin, end, tag, out)) out.clear();
}

}  // namespace

bool xml_child_text(const std::string& xml, const std::string& root, const std::string& tag,
                    std::string& out) {
    std::size_t begin = 0, end = 0;
    return root_content(xml, root.c_str(), begin, end) && child_text(xml, begin, end, tag.c_str(), out);
}

void quote_etag(std::string& etag) {
    if (etag.empty() || etag[0] == '"' || (etag[0] == 'W' && etag.size() > 1 && etag[1] == '/')) return;
    std::string quoted(1, '"');
    quoted += etag;
    quoted += '"';
    etag.swap(quoted);
}

// The root element is located once; each field is then looked up inside it.
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
    if (!child_text(body, begin, end, "Key", out.key) || out.key.empty()) {
        error = "the S3 PostResponse has no Key";
        return false;
    }
    // ETag, Location and Bucket are informative; S3 sends them, other stores may not.
    optional_child(body, begin, end, "ETag", out.etag);
    optional_child(body, begin, end, "Location", out.location);
    optional_child(body, begin, end, "Bucket", out.bucket);
    return true;
}

bool parse_s3_error(const std::string& body, S3Error& out, std::string& error) {
    std::size_t begin = 0, end = 0;
    if (!root_content(body, "Error", begin, end)) {
        error = body.empty() ? "empty error body" : "error body is not an S3 Error document";
        return false;
    }
    if (!child_text(body, begin, end, "Code", out.code) || out.code.empty()) {
        error = "the S3 Error document has no Code";
        return false;
    }
    optional_child(body, begin, end, "Message", out.message);
    optional_child(body, begin, end, "MaxSizeAllowed", out.max_size_allowed);
    optional_child(body, begin, end, "MinSizeAllowed", out.min_size_allowed);
    return true;
}

}  // namespace s3file
