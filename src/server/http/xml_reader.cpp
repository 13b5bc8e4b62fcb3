#include "http/xml_reader.hpp"

#include <utility>

namespace s3file::server {

std::string xml_unescape(const std::string& text) {
    static const std::pair<const char*, char> entities[] = {
        {"&quot;", '"'}, {"&apos;", '\''}, {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}};
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        bool replaced = false;
        for (const auto& [entity, c] : entities) {
            const std::string name = entity;
            if (text.compare(i, name.size(), name) == 0) {
                out += c;
                i += name.size();
                replaced = true;
                break;
            }
        }
        if (!replaced) out += text[i++];
    }
    return out;
}

bool xml_element_text(const std::string& xml, std::size_t from, std::size_t to, const std::string& tag,
                      std::string& out) {
    const std::string open = "<" + tag + ">", close = "</" + tag + ">";
    const std::size_t start = xml.find(open, from);
    if (start == std::string::npos || start >= to) return false;
    const std::size_t end = xml.find(close, start);
    if (end == std::string::npos || end > to) return false;
    out = xml_unescape(xml.substr(start + open.size(), end - start - open.size()));
    return true;
}

std::string xml_text_of(const std::string& xml, const std::string& tag) {
    std::string out;
    return xml_element_text(xml, 0, xml.size(), tag, out) ? out : "";
}

}  // namespace s3file::server
