// The multipart engine (s3file-engine-mp: the POST engine plus S3 multipart), loaded by
// engine.js only when a file is big enough for multipart and a multipart URL is set, so pages
// that never need it do not download it. Here its hooks meet the app server's routes
// (companion.js) and the resume records (resume-store.js); the engine decides everything else.
import loadEngine from '../s3file-engine-mp.mjs';
import { companion as routes } from './companion.js';
import { resumeStore } from './resume-store.js';
import { fetchWasm } from './wasm-file.js';
import './messages.js';

/**
 * The page's engine from now on: the multipart engine, with the page's options. The POST
 * engine's batches end first (its File map empties when each is forgotten), so the page never
 * runs two queues at once and one concurrency limit still holds for every upload.
 */
export async function upgrade(previous, instantiate, options) {
  const old = await previous?.catch(() => null);
  while (old?.files.size) await new Promise((resolve) => setTimeout(resolve, 100));
  let api = null;
  // S3FILE_ENGINE_MP_WASM: the .wasm's content-hashed name, set by the build (scripts/bundle.mjs).
  const eng = await instantiate(loadEngine, fetchWasm(new URL(S3FILE_ENGINE_MP_WASM, import.meta.url)), (s3f) => (api = attach(s3f, () => eng.stallTime())));
  eng.configure(options);
  api.configureParts(options.partSize || 0);
  /** Pauses (true) or resumes an upload: stored parts stay, a resumed one sends the missing ones. */
  eng.pause = (upload, on) => !!api[on ? 'pause' : 'resume'](upload);
  return eng;
}

/** Sets Module.s3f.multipart and .resume; answers reach the engine through its API, always later. */
function attach(s3f, stallTime) {
  const api = s3f.multipartApi();
  // Asked at each call, once uploads run: the engine (and its stall time) exists by then.
  const companion = (url) => routes(url, stallTime());
  const s = s3f.str;
  const store = resumeStore();
  // The server's sentence is the detail; a restriction code (FileTooLarge…) would need its limit.
  const failed = (call) => (error) => api.mpFailed(call, error.status || 0, s(/^(File|Type)/.test(error.code) ? '' : error.code), s(error.message));
  s3f.multipart = {
    create: (call, url, file) => companion(url).create(file, file.type || 'application/octet-stream').then(
      ({ key, uploadId, signature }) => api.mpCreated(call, s(key), s(uploadId), s(signature)), failed(call)),
    sign: (call, url, key, uploadId, numbers) => companion(url).sign(uploadId, key, numbers).then(({ presignedUrls = {}, expires }) => {
      for (const [number, signed] of Object.entries(presignedUrls)) api.mpSignedUrl(Number(number), s(signed));
      api.mpSigned(call, expires || 0);
    }, failed(call)),
    list: (call, url, key, uploadId) => companion(url).list(uploadId, key).then((parts) => {
      for (const part of parts) api.mpListedPart(part.PartNumber, part.Size, s(part.ETag));
      api.mpListed(call);
    }, failed(call)),
    complete: (call, url, key, uploadId, parts) => companion(url).complete(uploadId, key, parts).then(
      (done) => api.mpCompleted(call, s(done.location), s(done.key || key), s(done.bucket), s(done.etag)), failed(call)),
    // Best effort: an upload left behind is removed by the store's lifecycle rule (or the emulator's expiry).
    abort: (url, key, uploadId) => companion(url).abort(uploadId, key).catch(() => {}),
  };
  s3f.resume = {
    load: (call, fingerprint) => queueMicrotask(() => {
      const entry = store.get(fingerprint);
      api.resumeLoaded(call, entry ? 1 : 0, s(entry?.uploadId), s(entry?.key), s(entry?.signature), entry?.partSize || 0, entry?.created || 0);
    }),
    save: store.put,
    remove: store.remove,
  };
  return api;
}
