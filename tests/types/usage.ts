// Compiled (not run) by npm test with tsc --strict against dist/*.d.ts: the declarations a
// TypeScript user gets must accept the documented uses and reject the wrong ones.
import { upload, UploadError, setMessages, type UploadResult } from '../../dist/s3file.js';
import { S3FileElement } from '../../dist/s3file-element.js';

async function uses(file: File, files: FileList, blob: Blob, signal: AbortSignal): Promise<string[]> {
  const one: UploadResult[] = await upload(file, { policyUrl: '/api/policy' });
  await upload(files, { policyUrl: '/api/policy', signal, onProgress: (d) => d.formProgress.toFixed(2) });
  await upload([blob], { policies: [{ url: 'https://bucket.s3.amazonaws.com/', fields: { key: 'a/${filename}' } }], name: 'notes.txt' });
  await upload(file, { policyUrl: '/api/policy', multipartUrl: '/s3/multipart', multipartThreshold: 50 * 1024 * 1024 });
  setMessages('de', { cancel: 'Abbrechen' });
  try {
    await upload(file, { policyUrl: '/api/policy' });
  } catch (error) {
    if (error instanceof UploadError) return error.errors.map((e) => `${e.code}: ${e.message}`);
  }
  const element = document.querySelector('s3-file');
  const typed: S3FileElement | null = element;  // the tag name maps to the class
  typed?.add([file]);
  const paused: boolean | undefined = await typed?.pauseFile(file);
  if (paused) await typed?.resumeFile(file);
  // @ts-expect-error: options are checked (policyUrl is a string)
  await upload(file, { policyUrl: 42 });
  return one.map((r) => r.key + r.etag);
}

export { uses };
