// s3file: direct browser-to-S3 uploads — the library, without side effects. Pages pick an entry:
//  - s3file.js          upload(files, options) for scripts;
//  - s3file-django.js   the django-s3file drop-in (forms with input.s3file), one script tag;
//  - s3file-element.js  <s3-file policy-url="…"> around a light-DOM file input (and the drop-in).
export { upload, UploadError } from './upload.js';
export { engine } from './engine.js';
export { setMessages } from './i18n/messages.js';
export { watchForms } from './form.js';
// For s3file-django.js and s3file-element.js, which import the library's code from this module
// (scripts/bundle.mjs), so a page holds it once. Not public API (not in s3file.d.ts).
export { errorMessage, formatBytes, langOf, numberFormat, t } from './i18n/messages.js';
export { cancelFile, storedResult, uploadFiles } from './form.js';
export { checkFile } from './restrictions.js';
export { markInvalid, setText } from './messages.js';
