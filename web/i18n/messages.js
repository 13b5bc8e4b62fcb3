// Every sentence a user reads, keyed by error code or UI name, in one table per language.
// The engine reports codes and numbers (src/core/failure_message.cpp); sentences are made here,
// in the page's language: the `lang` of the element (or the document), English by default.
// Pages add or override languages with setMessages(); web/locales/ ships complete ones.

/** English, the default. Values are templates: {name}, {size}, {limit}, {detail}, {status}, … */
const en = {
  // Engine failures (codes from the engine, the policy server or S3).
  NetworkError: 'Network error: could not reach storage.',
  Stalled: 'The upload stalled: no progress for {limit} s.',
  BadReply: 'Storage sent an unexpected reply: {detail}.',
  PolicyError: 'Could not get an upload policy: {detail}.',
  PolicyError_: 'Could not get an upload policy.',
  EntityTooLarge: 'The file exceeds the maximum size of {limit}.',
  EntityTooLarge_: 'The file exceeds the maximum size allowed.',
  EntityTooSmall: 'The file is smaller than the minimum size allowed.',
  PolicyExpired: 'The upload policy has expired — reload the page.',
  Canceled: 'The upload was canceled.',
  HttpError: 'Storage answered HTTP {status}.',
  StorageError: 'Storage refused the upload ({code}): {detail}',
  StorageError_: 'Storage refused the upload ({code}).',
  // Restrictions, checked before any byte is sent.
  FileTooLarge: '{name} is {size}; the largest file allowed is {limit}.',
  FileTooSmall: '{name} is {size}; the smallest file allowed is {limit}.',
  TypeNotAccepted: '{name}: files of this type are not accepted (allowed: {accept}).',
  TypeNotAccepted_: 'This type of file is not accepted.',
  TooManyFiles: '{count} files chosen; the limit is {limit}.',
  TooManyFiles_one: '1 file chosen; the limit is {limit}.',
  TotalTooLarge: 'The files add up to {size}; the total allowed is {limit}.',
  OneFileOnly: 'Only one file can be chosen here.',
  // One line per failed file next to a drop-in input.
  fileError: '{name}: {message}',
  // Upload status next to a drop-in input; <s3-file>'s own sentences are in web/element/messages.js.
  uploading: 'Uploading {percent}',
  retrying: 'Retrying in {seconds} s — attempt {attempt}',
};

const tables = { en };

/** Adds or overrides sentences for `lang` ("de", "pt-BR", …); returns the merged table. */
export function setMessages(lang, table, defaults = false) {
  const key = String(lang).toLowerCase();
  // Defaults (a module's own English) never override what the page set before it loaded.
  return (tables[key] = defaults ? { ...table, ...tables[key] } : { ...tables[key], ...table });
}

/** The language that applies to `element`: its closest `lang`, else the document's. */
export function langOf(element) {
  return element?.closest?.('[lang]')?.lang || globalThis.document?.documentElement.lang || 'en';
}

/** The sentence `key` in `lang` (exact tag, then the primary subtag, then English); a numeric
 *  `count` chooses a plural form `key_one`, `key_few`, … when the table has it. */
export function t(lang, key, params = {}) {
  // Locale modules (web/locales/) queue their tables without importing this module.
  for (const [name, table] of globalThis.s3fileLocales?.splice(0) || []) setMessages(name, table, true);
  const tag = String(lang || 'en').toLowerCase();
  const find = (name) => tables[tag]?.[name] ?? tables[tag.split('-')[0]]?.[name] ?? tables.en[name];
  // A count picks its plural form when the table has one ("filesChosen_one").
  const plural = typeof params.count === 'number' && find(`${key}_${pluralOf(tag, params.count)}`);
  const template = plural || find(key) || key;
  return template.replace(/\{(\w+)\}/g, (_, name) => params[name] ?? '');
}

// Intl formatters are slow to make (tens of µs, more than a progress event's whole handling)
// and cheap to use: one per language and options, made once.
const made = new Map();
const once = (key, make) => made.get(key) || made.set(key, make()).get(key);
export const numberFormat = (lang, options) =>
  once(`number ${lang} ${JSON.stringify(options)}`, () => new Intl.NumberFormat(lang, options));
const pluralOf = (tag, count) => once(`plural ${tag}`, () => new Intl.PluralRules(tag)).select(count);

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'];

/** "10 MB", "1.5 GB", "512 bytes": binary steps, as Django's filesizeformat, words from Intl. */
export function formatBytes(lang, bytes) {
  let unit = 0;
  while (unit < 4 && bytes >= 1024 ** (unit + 1)) unit += 1;
  return numberFormat(lang, { style: 'unit', unit: UNITS[unit], unitDisplay: unit ? 'short' : 'long',
    maximumFractionDigits: unit ? 1 : 0 }).format(bytes / 1024 ** unit);
}

/** The sentence for an error {code, detail, status, limit, accept, file?} in `lang`; a key
 *  ending in "_" is the variant without the parameter that was not given. */
export function errorMessage(lang, error) {
  const { code, detail, limit, file, total } = error;
  // A policy server's TypeNotAccepted (400) carries the accept list as its detail; storage's (403) S3's sentence.
  const accept = error.accept ?? (code === 'TypeNotAccepted' && error.status !== 403 ? detail : '');
  const params = { ...error, accept, name: file?.name, size: formatBytes(lang, file ? file.size : total || 0),
    limit: /Too(Large|Small)$/.test(code) ? limit && formatBytes(lang, limit) : limit };
  let key = code in tables.en ? code : 'StorageError';
  if (key === 'PolicyError' || key === 'StorageError' ? !detail : key === 'TypeNotAccepted' ? !accept : key === 'EntityTooLarge' && !limit)
    key += '_';
  return t(lang, key, params);
}
