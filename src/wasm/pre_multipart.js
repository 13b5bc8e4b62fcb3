// The multipart engine's extra API (s3file-engine-mp only, after pre.js): the answers of the
// hooks web/multipart/ sets as Module.s3f.multipart and Module.s3f.resume (exports_multipart.cpp).
Module.s3f.multipartApi = function () {
  return {
    batchMultipart: _s3f_batch_multipart, configureParts: _s3f_configure_parts, pause: _s3f_pause, resume: _s3f_resume,
    mpCreated: _s3f_mp_created, mpSignedUrl: _s3f_mp_signed_url, mpSigned: _s3f_mp_signed,
    mpListedPart: _s3f_mp_listed_part, mpListed: _s3f_mp_listed, mpCompleted: _s3f_mp_completed,
    mpFailed: _s3f_mp_failed, resumeLoaded: _s3f_resume_loaded,
  };
};
