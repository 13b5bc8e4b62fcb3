// What exports.cpp shares with exports_multipart.cpp (the multipart engine's extra exports).
#pragma once

#include <string>

#include "upload_queue.hpp"

namespace s3file::web {

/// Takes ownership of a string malloc'ed by the JS side: copies it and frees it.
std::string take(char* text);
/// The page's queue, made on first use with the options set so far.
UploadQueue& queue();
/// The last file of the batch being built, or nullptr.
UploadSpec* last_pending_spec();
/// Called once with the queue when it is made; set by exports_multipart.cpp's constructor.
extern void (*extend_queue)(UploadQueue&);

}  // namespace s3file::web
