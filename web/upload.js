// The library API: upload files straight to S3 and get their keys back.
import { startBatch, UploadError } from './batch.js';
import { engine } from './engine.js';
import { errorMessage, langOf } from './i18n/messages.js';

export { UploadError };

/**
 * Uploads `files` — a File, a Blob, or a list of them (an array, a FileList) — with presigned
 * POST policies. options: {policyUrl} (POSTed once per batch) or {policies} (one {url, fields}
 * per file), field (the form field name, default "file"), name (for a Blob without one,
 * default, or when empty, "blob"), concurrency (page-wide, before the first upload), signal (AbortSignal),
 * onProgress(detail) (each tick: detail.formProgress 0..1), multipartUrl (Companion's
 * "/s3/multipart" route: files from multipartThreshold bytes, default 100 MiB, go through S3
 * multipart, resumable after a reload).
 * Resolves with [{file, key, etag, location, signature}] in file order. Rejects with an
 * UploadError whose `errors` lists {file, code, message} per failed file; an abort, before or
 * during the upload, rejects the same way with code "Canceled" for every file not stored.
 */
export async function upload(files, { policyUrl, policies, field = 'file', name, concurrency, signal, onProgress, multipartUrl, multipartThreshold } = {}) {
  const list = (files instanceof Blob ? [files] : [...files]).map((blob) =>
    // The engine needs a name and type per file; a Blob gets the given name, its bytes unread.
    (blob instanceof File ? blob : new File([blob], name || 'blob', { type: blob.type })));
  if (!policyUrl && (!policies || policies.length !== list.length))
    throw new TypeError('s3file upload(): pass policyUrl, or one policy per file in policies');
  if (concurrency) (await engine()).configure({ concurrency });
  const items = list.map((file, i) => ({ file, input: field, policy: policies?.[i], signature: policies?.[i]?.signature, multipartUrl, multipartThreshold }));
  if (signal?.aborted) {
    const message = errorMessage(langOf(), { code: 'Canceled' });
    throw new UploadError(items.map(({ file, input }) => ({ file, input, code: 'Canceled', status: 0, message })));
  }
  const batch = await startBatch(items, {
    policyUrl: policies ? undefined : policyUrl,
    onEvent: (event) => event.type === 'progress' && onProgress?.(event.detail),
    relay: onProgress ? ['progress'] : [],
  });
  const abort = () => batch.cancel();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    return await batch.done;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}
