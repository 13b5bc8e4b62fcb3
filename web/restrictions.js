// Restrictions checked in the browser before any byte is sent, so a doomed file is never
// streamed: sizes, count, total and type, with `accept` meant the way <input accept> means it.

/**
 * The type of `file` as a form post would send it: a browser that cannot name the type gives
 * "" (WebKitGTK for `.bin`, Chromium and Firefox say application/octet-stream), and a plain
 * multipart post sends such a file as application/octet-stream, so the widget does too.
 */
export const typeOf = (file) => file.type || 'application/octet-stream';

/** Does `file` match an accept list ("image/*,.pdf,application/zip"); empty accepts all. */
export function accepts(accept, file) {
  const rules = (accept || '').split(',').map((rule) => rule.trim().toLowerCase()).filter(Boolean);
  const type = typeOf(file).toLowerCase();
  const name = file.name.toLowerCase();
  return !rules.length || rules.some((rule) => (rule.startsWith('.') ? name.endsWith(rule)
    : rule.endsWith('/*') ? type.startsWith(rule.slice(0, -1)) : type === rule));
}

/** The signed size range of a django-s3file input's policy (data-fields-policy), if any. */
export function policyRange(input) {
  try {
    const policy = JSON.parse(atob(input.dataset.fieldsPolicy));
    const range = policy.conditions.find((c) => Array.isArray(c) && c[0] === 'content-length-range');
    // With a multipart URL, files too big for this POST go in parts: their limit is the multipart route's.
    return range ? { minSize: +range[1], maxSize: input.dataset.s3fMultipartUrl ? Infinity : +range[2] } : {};
  } catch {
    return {};  // no policy field or not one we can read: storage still enforces it
  }
}

/** Checks one file against {accept, maxSize, minSize}: an error {code, file, limit|accept}, or null. */
export function checkFile(file, { accept, maxSize = Infinity, minSize = 0 }) {
  if (!accepts(accept, file)) return { code: 'TypeNotAccepted', file, accept };
  if (file.size > maxSize) return { code: 'FileTooLarge', file, limit: maxSize };
  return file.size < minSize ? { code: 'FileTooSmall', file, limit: minSize } : null;
}
