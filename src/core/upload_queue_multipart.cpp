// The multipart ports' answers: UploadQueue forwards them to MultipartUploads and then fills
// the slots they freed (the queue's FIFO decides what runs next).
#include "multipart_uploads.hpp"
#include "upload_queue.hpp"

namespace s3file {

void UploadQueue::enable_multipart(MultipartApi& api, FileReader& reader, ResumeStore* store) {
    multipart_ = std::make_unique<MultipartUploads>(*this, api, reader, store);
}

void UploadQueue::on_read(ReadId id, const std::uint8_t* data, std::size_t size) {
    if (!multipart_) return;
    multipart_->on_read(id, data, size);
    pump();
}

void UploadQueue::on_resume_loaded(CallId call, const ResumeEntry* entry) {
    if (!multipart_) return;
    multipart_->on_resume_loaded(call, entry);
    pump();
}

void UploadQueue::on_multipart_created(CallId call, const std::string& key, const std::string& upload_id,
                                       const std::string& signature) {
    if (!multipart_) return;
    multipart_->on_created(call, key, upload_id, signature);
    pump();
}

void UploadQueue::on_parts_signed(CallId call, const std::vector<SignedPart>& urls, std::uint64_t expires_seconds) {
    if (!multipart_) return;
    multipart_->on_signed(call, urls, expires_seconds);
    pump();
}

void UploadQueue::on_parts_listed(CallId call, const std::vector<StoredPart>& parts) {
    if (!multipart_) return;
    multipart_->on_listed(call, parts);
    pump();
}

void UploadQueue::on_multipart_completed(CallId call, const PostResult& result) {
    if (!multipart_) return;
    multipart_->on_completed(call, result);
    pump();
}

void UploadQueue::on_multipart_failed(CallId call, int status, const std::string& code, const std::string& detail) {
    if (!multipart_) return;
    multipart_->on_failed(call, status, code, detail);
    pump();
}

}  // namespace s3file
