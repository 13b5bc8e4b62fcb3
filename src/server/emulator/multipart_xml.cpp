#include "emulator/multipart_xml.hpp"

#include "http/xml_reader.hpp"

namespace s3file::server {

namespace {

constexpr char kNamespace[] = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

std::string element(const std::string& name, const std::string& text) {
    return "<" + name + ">" + xml_escape(text) + "</" + name + ">";
}

S3Failure malformed_xml() {
    return s3_failure(400, "MalformedXML",
                      "The XML you provided was not well-formed or did not validate against our published schema");
}

bool parse_part_number(const std::string& text, int& out) {
    if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos) return false;
    out = std::stoi(text);
    return out >= 1 && out <= kMaxPartNumber;
}

}  // namespace

S3Failure parse_complete_request(const std::string& xml, std::vector<CompletedPart>& parts) {
    if (xml.size() > kMaxCompleteXmlBytes || xml.find("<CompleteMultipartUpload") == std::string::npos ||
        xml.find("</CompleteMultipartUpload>") == std::string::npos)
        return malformed_xml();
    std::size_t at = 0;
    for (;;) {
        const std::size_t start = xml.find("<Part>", at);
        if (start == std::string::npos) break;
        const std::size_t end = xml.find("</Part>", start);
        if (end == std::string::npos || parts.size() >= static_cast<std::size_t>(kMaxPartNumber)) return malformed_xml();
        CompletedPart part;
        std::string number;
        if (!xml_element_text(xml, start, end, "PartNumber", number) || !parse_part_number(number, part.number) ||
            !xml_element_text(xml, start, end, "ETag", part.etag))
            return malformed_xml();
        parts.push_back(part);
        at = end + 7;
    }
    return parts.empty() ? malformed_xml() : S3Failure{};
}

std::string initiate_result_xml(const std::string& bucket, const std::string& key, const std::string& upload_id) {
    return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult") + kNamespace + ">" +
           element("Bucket", bucket) + element("Key", key) + element("UploadId", upload_id) +
           "</InitiateMultipartUploadResult>";
}

std::string list_parts_xml(const UploadInfo& upload, const PartsPage& page) {
    std::string xml = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListPartsResult") + kNamespace + ">" +
                      element("Bucket", upload.bucket) + element("Key", upload.key) + element("UploadId", upload.id) +
                      element("PartNumberMarker", std::to_string(page.marker)) +
                      element("NextPartNumberMarker", std::to_string(page.parts.empty() ? 0 : page.parts.back().number)) +
                      element("MaxParts", std::to_string(page.max_parts)) +
                      element("IsTruncated", page.truncated ? "true" : "false");
    for (const PartInfo& part : page.parts)
        xml += "<Part>" + element("PartNumber", std::to_string(part.number)) + element("LastModified", part.last_modified) +
               element("ETag", part.etag) + element("Size", std::to_string(part.size)) + "</Part>";
    return xml + element("StorageClass", "STANDARD") + "</ListPartsResult>";
}

std::string complete_result_xml(const std::string& location, const std::string& bucket, const std::string& key,
                                const std::string& etag) {
    return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult") + kNamespace + ">" +
           element("Location", location) + element("Bucket", bucket) + element("Key", key) + element("ETag", etag) +
           "</CompleteMultipartUploadResult>";
}

}  // namespace s3file::server
