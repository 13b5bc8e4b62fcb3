// The app server's multipart routes, as Uppy Companion defines them (s3file-server serves the
// same paths and shapes, so either works): fetch + JSON only; what to call when is the engine's
// business. `url` is the multipart route itself, e.g. "/s3/multipart" (Companion mounted at /s3).
const json = async (response) => {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(body.error || body.message || `HTTP ${response.status}`), { status: response.status, code: body.code });
  return body;
};
// A call unanswered for `wait` ms fails as a network error, retried like one, rather than
// holding its upload for good.
const call = (url, init, wait) => fetch(url, { credentials: 'same-origin', signal: wait && AbortSignal.timeout(wait), ...init }).then(json, (error) => {
  // A new Error: a timeout's DOMException has a numeric `code` (23), not an S3 one.
  throw Object.assign(new Error(error.message), { status: 0 });
});
const post = (url, body, wait) => call(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }, wait);
const q = encodeURIComponent;

/**
 * The routes under `base` for one upload: each returns a promise of Companion's JSON answer.
 * Each but complete fails after `wait` ms unanswered (the uploads' stall time); complete waits
 * as long as the store takes, as S3 may take minutes to put a large object together.
 */
export const companion = (url, wait) => ({
  /** → {key, uploadId, signature} (signature: the signed folder's, for the django-style form). */
  create: (file, type) => post(url, { filename: file.name, type, metadata: { size: String(file.size) } }, wait),
  /** → {presignedUrls: {"1": url, …}} for the given part numbers. */
  sign: (uploadId, key, numbers) => call(`${url}/${q(uploadId)}/batch?key=${q(key)}&partNumbers=${numbers.join(',')}`, {}, wait),
  /** → [{PartNumber, Size, ETag}], every part stored so far. */
  list: (uploadId, key) => call(`${url}/${q(uploadId)}?key=${q(key)}`, {}, wait),
  /** parts: [{PartNumber, ETag}] ascending → {location, key, bucket} (s3file-server adds etag). */
  complete: (uploadId, key, parts) => post(`${url}/${q(uploadId)}/complete?key=${q(key)}`, { parts }),
  /** → {} */
  abort: (uploadId, key) => call(`${url}/${q(uploadId)}?key=${q(key)}`, { method: 'DELETE' }, wait),
});
