// Where a multipart upload's {uploadId, key, partSize, …} outlives the page, so choosing the
// same file again after a reload or a crash sends only the parts S3 does not have yet. The
// engine decides what to keep under which fingerprint; this only stores its strings in
// localStorage (small records, read synchronously when a file is queued), each with the time it
// was written. Entries older than `maxAge` are dropped when read and swept once per page:
// by then the store has usually removed the parts (S3 lifecycle rules, the emulator's
// --multipart-expiry), and a stale upload id would only cost a failed ListParts.
const PREFIX = 's3file:resume:';
export const MAX_AGE = 7 * 24 * 3600 * 1000;  // a week: the common AbortIncompleteMultipartUpload rule

const storage = () => {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;  // storage disabled (a sandboxed frame, privacy settings): no resume, uploads still work
  }
};

const read = (store, name, now, maxAge) => {
  try {
    const entry = JSON.parse(store.getItem(name));
    if (entry && now - entry.at <= maxAge) return entry.value;
  } catch { /* a corrupt entry is dropped like a stale one */ }
  store.removeItem(name);
  return null;
};

let swept = false;

/** get/put/remove of the engine's resume records; every call is safe without localStorage. */
export function resumeStore({ maxAge = MAX_AGE, now = Date.now } = {}) {
  const store = storage();
  if (store && !swept) {
    swept = true;
    for (const name of Object.keys(store)) if (name.startsWith(PREFIX)) read(store, name, now(), maxAge);
  }
  return {
    get: (fingerprint) => (store ? read(store, PREFIX + fingerprint, now(), maxAge) : null),
    put(fingerprint, value) {
      try {
        store?.setItem(PREFIX + fingerprint, JSON.stringify({ at: now(), value }));
      } catch { /* full: this upload cannot resume after a reload, but it goes on */ }
    },
    remove: (fingerprint) => store?.removeItem(PREFIX + fingerprint),
  };
}
