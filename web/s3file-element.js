// <s3-file>: the component, loaded only by pages that use it (its bytes are outside the
// drop-in's budget). Includes the drop-in, which uploads the element's files on submit.
import { defineElement } from './element/element.js';
import { watchForms } from './form.js';

export * from './s3file.js';
export { S3FileElement } from './element/element.js';

if (typeof document !== 'undefined') {
  watchForms(document);
  defineElement();
}
