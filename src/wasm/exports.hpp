// What exports.cpp shares with exports_multipart.cpp (the multipart engine's extra exports).
#pragma once

#include <string>

#include "upload_queue.hpp"

namespace s3file::web {

/// Takes ownership of a string malloc'ed by the JS side: copies it and frees it.
std::string take(char* text);
/// The page's queue, made on first use with the options set so far.
UploadQueue& queue();
/// The page's options: they apply until the first upload makes the queue.
QueueOptions& options();
/// The last file of the batch being built, or nullptr.
UploadSpec* last_pending_spec();
/// Gives the queue its multipart ports (exports_multipart.cpp; only in the multipart engine,
/// whose build of exports.cpp calls it once the queue is made).
void enable_multipart(UploadQueue& queue);

}  // namespace s3file::web
