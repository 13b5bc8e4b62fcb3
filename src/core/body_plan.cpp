#include "body_plan.hpp"

#include <initializer_list>
#include <string_view>

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

// The plan is written by appending pieces to one string, not with `a + b + …`: every `+`
// makes a temporary std::string (an allocation, its inlined construction and destruction),
// which made the request builder the largest function of the wasm every page downloads.
void append(std::string& out, std::initializer_list<std::string_view> pieces) {
    for (const std::string_view piece : pieces) out.append(piece.data(), piece.size());
}

void append_escaped(std::string& out, const std::string& value) {
    for (const char c : value) {
        if (c == '"')
            out += "%22";
        else if (c == '\r')
            out += "%0D";
        else if (c == '\n')
            out += "%0A";
        else
            out += c;
    }
}

// "--boundary\r\nContent-Disposition: form-data; name=\"<name>\"" (the part's first lines).
void append_part_start(std::string& out, const std::string& boundary, const std::string& name) {
    append(out, {"--", boundary, kCrlf, "Content-Disposition: form-data; name=\""});
    append_escaped(out, name);
    out += '"';
}
}  // namespace

std::string escape_disposition_value(const std::string& value) {
    std::string out;
    out.reserve(value.size());
    append_escaped(out, value);
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
    for (const auto& field : fields) {
        append_part_start(plan.head, boundary, field.first);
        append(plan.head, {kCrlf, kCrlf, field.second, kCrlf});
    }
    append_part_start(plan.head, boundary, file_field);
    append(plan.head, {"; filename=\""});
    append_escaped(plan.head, file.name);
    // A MIME type is a single token; anything with a line break could inject a header.
    const bool type_ok = !file.type.empty() && file.type.find_first_of("\r\n") == std::string::npos;
    append(plan.head, {"\"", kCrlf, "Content-Type: ", type_ok ? std::string_view(file.type) : kDefaultFileType,
                       kCrlf, kCrlf});
    plan.file = file;
    plan.has_file = true;
    append(plan.tail, {kCrlf, "--", boundary, "--", kCrlf});
    append(plan.content_type, {"multipart/form-data; boundary=", boundary});
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
