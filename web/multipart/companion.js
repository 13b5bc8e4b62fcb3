// The app server's multipart routes, as Uppy Companion defines them (s3file-server serves the
// same paths and shapes, so either works): fetch + JSON only; what to call when is the engine's
// business. `url` is the multipart route itself, e.g. "/s3/multipart" (Companion mounted at /s3).
const json = async (response) => {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(body.error || body.message || `HTTP ${response.status}`), { status: response.status, code: body.code });
  return body;
};
const call = (url, init) => fetch(url, { credentials: 'same-origin', ...init }).then(json, (error) => {
  throw Object.assign(error, { status: 0 });
});
const post = (url, body) => call(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const q = encodeURIComponent;

/** The routes under `base` for one upload: each returns a promise of Companion's JSON answer. */
export const companion = (url) => ({
  /** → {key, uploadId, signature} (signature: the signed folder's, for the django-style form). */
  create: (file, type) => post(url, { filename: file.name, type, metadata: { size: String(file.size) } }),
  /** → {presignedUrls: {"1": url, …}} for the given part numbers. */
  sign: (uploadId, key, numbers) => call(`${url}/${q(uploadId)}/batch?key=${q(key)}&partNumbers=${numbers.join(',')}`),
  /** → [{PartNumber, Size, ETag}], every part stored so far. */
  list: (uploadId, key) => call(`${url}/${q(uploadId)}?key=${q(key)}`),
  /** parts: [{PartNumber, ETag}] ascending → {location, key, bucket} (s3file-server adds etag). */
  complete: (uploadId, key, parts) => post(`${url}/${q(uploadId)}/complete?key=${q(key)}`, { parts }),
  /** → {} */
  abort: (uploadId, key) => call(`${url}/${q(uploadId)}?key=${q(key)}`, { method: 'DELETE' }),
});
