// The library API: upload files straight to S3 and get their keys back.
import { startBatch, UploadError } from './batch.js';
import { engine } from './engine.js';

export { UploadError };

/**
 * Uploads `files` (File/Blob list) with presigned POST policies.
 * options: {policyUrl} (POSTed once per batch) or {policies} (one {url, fields} per file),
 * field (the form field name, default "file"), concurrency (page-wide, before the first upload),
 * signal (AbortSignal: cancels), onProgress(detail) (each tick: detail.formProgress 0..1).
 * Resolves with [{file, key, etag, location, signature}] in file order; rejects with an
 * UploadError whose `errors` lists {file, code, message} per failed file.
 */
export async function upload(files, { policyUrl, policies, field = 'file', concurrency, signal, onProgress } = {}) {
  const list = [...files];
  if (!policyUrl && (!policies || policies.length !== list.length))
    throw new TypeError('s3file upload(): pass policyUrl, or one policy per file in policies');
  signal?.throwIfAborted();
  if (concurrency) (await engine()).configure({ concurrency });
  const items = list.map((file, i) => ({ file, input: field, policy: policies?.[i], signature: policies?.[i]?.signature }));
  const batch = await startBatch(items, {
    policyUrl: policies ? undefined : policyUrl,
    onEvent: (event) => event.type === 'progress' && onProgress?.(event.detail),
  });
  const abort = () => batch.cancel();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    return await batch.done;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}
