#include "body_plan.hpp"

#include "ports.hpp"

namespace s3file {

namespace {
constexpr char kCrlf[] = "\r\n";
// Browsers use 16 random characters; 32 make a collision with file content negligible
// (log2(62^32) ≈ 190 bits) while staying far below the 70-character limit of RFC 2046.
constexpr int kBoundaryRandomChars = 32;
constexpr char kBoundaryPrefix[] = "----s3file";
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// Browsers send this for files whose type they do not know.
constexpr char kDefaultFileType[] = "application/octet-stream";

bool boundary_occurs(const std::vector<std::pair<std::string, std::string>>& fields,
                     const std::string& boundary) {
    for (const auto& field : fields) {
        if (field.first.find(boundary) != std::string::npos ||
            field.second.find(boundary) != std::string::npos)
            return true;
    }
    return false;
}
}  // namespace

std::string escape_disposition_value(const std::string& value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '"')
            out += "%22";
        else if (c == '\r')
            out += "%0D";
        else if (c == '\n')
            out += "%0A";
        else
            out += c;
    }
    return out;
}

std::string make_boundary(Random& random) {
    std::string boundary = kBoundaryPrefix;
    for (int i = 0; i < kBoundaryRandomChars; ++i)
        boundary += kAlphabet[random.next_u32() % (sizeof(kAlphabet) - 1)];
    return boundary;
}

BodyPlan build_body_plan_with_boundary(
    const std::vector<std::pair<std::string, std::string>>& fields,
    const std::string& file_field, const FileRef& file, const std::string& boundary) {
    BodyPlan plan;
    const std::string dash_boundary = "--" + boundary;
    for (const auto& field : fields) {
        plan.head += dash_boundary + kCrlf;
        plan.head += "Content-Disposition: form-data; name=\"" +
                     escape_disposition_value(field.first) + "\"" + kCrlf + kCrlf;
        plan.head += field.second + kCrlf;
    }
    plan.head += dash_boundary + kCrlf;
    plan.head += "Content-Disposition: form-data; name=\"" + escape_disposition_value(file_field) +
                 "\"; filename=\"" + escape_disposition_value(file.name) + "\"" + kCrlf;
    // A MIME type is a single token; anything with a line break could inject a header.
    const bool type_ok = !file.type.empty() && file.type.find_first_of("\r\n") == std::string::npos;
    plan.head += "Content-Type: " + (type_ok ? file.type : std::string(kDefaultFileType)) +
                 kCrlf + kCrlf;
    plan.file = file;
    plan.has_file = true;
    plan.tail = std::string(kCrlf) + dash_boundary + "--" + kCrlf;
    plan.content_type = "multipart/form-data; boundary=" + boundary;
    return plan;
}

BodyPlan build_body_plan(const std::vector<std::pair<std::string, std::string>>& fields,
                         const std::string& file_field, const FileRef& file, Random& random) {
    std::string boundary = make_boundary(random);
    while (boundary_occurs(fields, boundary) ||
           file.name.find(boundary) != std::string::npos)
        boundary = make_boundary(random);
    return build_body_plan_with_boundary(fields, file_field, file, boundary);
}

}  // namespace s3file
