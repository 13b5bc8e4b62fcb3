#include "http/s3_error.hpp"

namespace s3file::server {

std::string xml_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += c;
        }
    }
    return out;
}

namespace {
std::string element(const std::string& name, const std::string& text) {
    return "<" + name + ">" + xml_escape(text) + "</" + name + ">";
}
}  // namespace

std::string s3_error_xml(const S3Failure& failure, const std::string& request_id) {
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>";
    xml += element("Code", failure.code) + element("Message", failure.message);
    for (const auto& entry : failure.extra) xml += element(entry.first, entry.second);
    xml += element("RequestId", request_id) + element("HostId", "s3file-emulator") + "</Error>";
    return xml;
}

std::string post_response_xml(const std::string& location, const std::string& bucket,
                              const std::string& key, const std::string& etag) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse>" + element("Location", location) +
           element("Bucket", bucket) + element("Key", key) + element("ETag", etag) + "</PostResponse>";
}

}  // namespace s3file::server
