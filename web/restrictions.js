// Restrictions checked in the browser before any byte is sent, so a doomed file is never
// streamed: sizes, count, total and type, with `accept` meant the way <input accept> means it.

/** Does `file` match an accept list ("image/*,.pdf,application/zip"); empty accepts all. */
export function accepts(accept, file) {
  const rules = (accept || '').split(',').map((rule) => rule.trim().toLowerCase()).filter(Boolean);
  const type = file.type.toLowerCase();
  const name = file.name.toLowerCase();
  return !rules.length || rules.some((rule) => (rule.startsWith('.') ? name.endsWith(rule)
    : rule.endsWith('/*') ? type.startsWith(rule.slice(0, -1)) : type === rule));
}

/** The signed size range of a django-s3file input's policy (data-fields-policy), if any. */
export function policyRange(input) {
  try {
    const policy = JSON.parse(atob(input.dataset.fieldsPolicy));
    const range = policy.conditions.find((c) => Array.isArray(c) && c[0] === 'content-length-range');
    return range ? { minSize: Number(range[1]), maxSize: Number(range[2]) } : {};
  } catch {
    return {};  // no policy field or not one we can read: storage still enforces it
  }
}

/**
 * Checks `files` against {accept, maxSize, minSize, maxFiles, maxTotalSize, multiple};
 * returns errors [{code, file?, limit?, accept?, count?, size?}] (empty when all pass).
 */
export function check(files, limits) {
  const { accept, maxSize, minSize, maxFiles, maxTotalSize, multiple = true } = limits;
  const errors = [];
  for (const file of files) {
    if (!accepts(accept, file)) errors.push({ code: 'TypeNotAccepted', file, accept });
    else if (file.size > maxSize) errors.push({ code: 'FileTooLarge', file, limit: maxSize });
    else if (file.size < minSize) errors.push({ code: 'FileTooSmall', file, limit: minSize });
  }
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (!multiple && files.length > 1) errors.push({ code: 'OneFileOnly' });
  else if (files.length > maxFiles) errors.push({ code: 'TooManyFiles', count: files.length, limit: maxFiles });
  if (total > maxTotalSize) errors.push({ code: 'TotalTooLarge', total, limit: maxTotalSize });
  return errors;
}
