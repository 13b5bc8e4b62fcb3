// Just enough XML reading for S3's small, flat documents (error replies, multipart results and
// requests): the text of an element by name, the five predefined entities decoded. Not a
// general XML parser: no attributes, no nesting of same-named elements, no CDATA; callers
// bound the document's size before they read it.
#pragma once

#include <cstddef>
#include <string>

namespace s3file::server {

/// Decodes &quot; &apos; &lt; &gt; &amp;; other '&' sequences stay as they are.
std::string xml_unescape(const std::string& text);

/// The decoded text of the first <tag>…</tag> starting in [from, to); false if absent.
bool xml_element_text(const std::string& xml, std::size_t from, std::size_t to, const std::string& tag,
                      std::string& out);

/// The text of the first <tag>…</tag> anywhere; empty if absent.
std::string xml_text_of(const std::string& xml, const std::string& tag);

}  // namespace s3file::server
