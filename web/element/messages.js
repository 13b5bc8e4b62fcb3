// <s3-file>'s own sentences in English, added to the one message table (web/i18n/messages.js)
// when the element loads; web/locales/ translate them with the rest.
import { setMessages } from '../i18n/messages.js';

setMessages('en', {
  drop: 'or drop files here',
  dropActive: 'Drop to add the files',
  ready: 'Ready',
  queued: 'Waiting',
  stored: 'Uploaded',
  failed: 'Failed',
  canceled: 'Canceled',
  finishing: 'Sent — waiting for storage to confirm',
  cancel: 'Cancel',
  retry: 'Retry',
  remove: 'Remove',
  cancelFile: 'Cancel upload of {name}',
  retryFile: 'Retry upload of {name}',
  removeFile: 'Remove {name}',
  progressOf: 'Upload of {name}',
  total: 'Total upload progress',
  totalLine: '{loaded} of {total}',
  speedLine: '{speed}/s · {eta} left',
  filesChosen: '{count} files chosen, {size}',
  filesChosen_one: '1 file chosen, {size}',
  started: 'Uploading {count} files.',
  started_one: 'Uploading 1 file.',
  halfway: 'Upload half done.',
  done: 'All files uploaded.',
  failedCount: '{count} files failed to upload.',
  failedCount_one: '1 file failed to upload.',
}, true);
