// s3file: direct browser-to-S3 uploads. Importing this module
//  - handles every form with input[type=file].s3file (django-s3file drop-in), now and later;
//  - defines <s3-file policy-url="…"> around a light-DOM file input;
//  - exports upload(files, options) for scripts.
import './element.js';
import { watchForms } from './form.js';

export { upload, UploadError } from './upload.js';
export { engine } from './engine.js';

if (typeof document !== 'undefined' && !document.s3fileWatching) {
  document.s3fileWatching = true;
  watchForms(document);
}
