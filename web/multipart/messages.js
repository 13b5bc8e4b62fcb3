// English for what only multipart uploads report. Queued like a locale (web/locales/de.js):
// the message table (web/i18n/messages.js) adds it as defaults on its next lookup, and this
// chunk imports nothing from the page's main one.
(globalThis.s3fileLocales ||= []).push(['en', {
  FileUnreadable: 'The file could not be read (was it moved or deleted?).',
}]);
