// Uppy 6 (@uppy/core + @uppy/aws-s3, a dev dependency, bundled here by esbuild) against
// s3file-server's Companion routes: the ecosystem's own client uploads one POST per file through
// GET /s3/params and a big file through the multipart routes, and the objects are read back.
// A second server without the shared one's 2 MB cap.
import { build } from 'esbuild';
import { test, expect, readStored, sha256, startServer } from './fixtures.js';

let second;
let bundle;

test.beforeAll(async () => {
  second = await startServer();
  const out = await build({ entryPoints: ['scripts/bench/uppy-entry.js'], bundle: true, format: 'esm', minify: true, write: false });
  bundle = out.outputFiles[0].text;
});
test.afterAll(async () => { await second?.stop(); });

const counters = async (request) => (await (await request.get(`${second.app}/_faults`)).json());

/** Uploads with Uppy in the page; [{name, key}] of the stored files, or the errors. */
async function uploadWithUppy(page, multipart, files) {
  await page.route('**/uppy-bench.js', (route) => route.fulfill({ body: bundle, contentType: 'text/javascript' }));
  await page.goto(`${second.app}/demo/library-only.html`);
  return page.evaluate(async ({ multipart, files }) => {
    const { Uppy, AwsS3 } = await import('/uppy-bench.js');
    const uppy = new Uppy().use(AwsS3, { companionEndpoint: location.origin, shouldUseMultipart: multipart });
    for (const { name, type, size, text } of files) {
      const bytes = text ?? new Uint8Array(size).map((_, i) => (i * 7) % 251);
      uppy.addFile({ name, type, data: new File([bytes], name, { type }) });
    }
    const result = await uppy.upload();
    return { stored: result.successful.map((f) => ({ name: f.name, key: f.response.body.key })),
      failed: result.failed.map((f) => `${f.name}: ${f.error}`) };
  }, { multipart, files });
}

const patternedBytes = (size) => Buffer.from(Uint8Array.from({ length: size }, (_, i) => (i * 7) % 251));

test('Uppy 6 posts each file with the fields of GET /s3/params: a concrete key in a signed folder', async ({ page, request }) => {
  const before = await counters(request);
  const result = await uploadWithUppy(page, false, [
    { name: 'notes.txt', type: 'text/plain', text: 'alpha' },
    { name: 'my photo.jpg', type: 'image/jpeg', text: 'jpeg bytes' },
  ]);
  expect(result.failed).toEqual([]);  // before: "[s3mini] fields.key must be a concrete object key"
  expect(result.stored.map((f) => f.name)).toEqual(['notes.txt', 'my photo.jpg']);
  for (const { name, key } of result.stored) expect(key).toMatch(new RegExp(`^tmp/s3file/[0-9a-f]{32}/${name}$`));
  expect((await counters(request)).storage_posts - before.storage_posts).toBe(2);
  expect((await readStored(request, second.storage, result.stored[0].key)).body.toString()).toBe('alpha');
  expect((await readStored(request, second.storage, result.stored[1].key)).body.toString()).toBe('jpeg bytes');
});

test('Uppy 6 uploads a 12 MiB file through the multipart routes: parts PUT, completed, stored', async ({ page, request }) => {
  const size = 12 * 1024 * 1024 + 3;
  const before = await counters(request);
  const result = await uploadWithUppy(page, true, [{ name: 'video.bin', type: 'application/octet-stream', size }]);
  expect(result.failed).toEqual([]);
  const [{ key }] = result.stored;
  expect(key).toMatch(/^tmp\/s3file\/[0-9a-f]{32}-[0-9a-f]{32}\/video\.bin$/);
  expect((await counters(request)).part_puts - before.part_puts).toBeGreaterThanOrEqual(2);
  const stored = await readStored(request, second.storage, key);
  expect(stored.body.length).toBe(size);
  expect(sha256(stored.body)).toBe(sha256(patternedBytes(size)));
});
