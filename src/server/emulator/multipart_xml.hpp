// The XML of S3's multipart API (API reference: CreateMultipartUpload, ListParts,
// CompleteMultipartUpload): the emulator's answers, and a minimal, bounded reader of the
// CompleteMultipartUpload request body (only <Part><PartNumber/><ETag/></Part> matter).
#pragma once

#include <string>
#include <vector>

#include "emulator/multipart_store.hpp"

namespace s3file::server {

/// 10,000 parts of ~100 bytes each (boto3 writes ~75) leave ample room under 2 MiB.
constexpr std::size_t kMaxCompleteXmlBytes = 2 * 1024 * 1024;

/// Reads the parts of a CompleteMultipartUpload body; 400 MalformedXML when it is not that
/// document, has no part, more than 10,000, or a part number outside 1..10,000.
S3Failure parse_complete_request(const std::string& xml, std::vector<CompletedPart>& parts);

std::string initiate_result_xml(const std::string& bucket, const std::string& key, const std::string& upload_id);

struct PartsPage {
    int marker = 0;
    int max_parts = 1000;
    bool truncated = false;
    std::vector<PartInfo> parts;
};
std::string list_parts_xml(const UploadInfo& upload, const PartsPage& page);

std::string complete_result_xml(const std::string& location, const std::string& bucket, const std::string& key,
                                const std::string& etag);

}  // namespace s3file::server
