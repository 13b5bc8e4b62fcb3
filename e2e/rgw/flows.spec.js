// The browser flows against Ceph RGW, a real S3 implementation: s3file-server runs with
// --s3-endpoint (it only issues policies and receives the form), the page uploads straight to
// the gateway (its CORS rule set through PutBucketCors by scripts/rgw.sh), and every stored
// object is read back from RGW with boto3 and compared by SHA-256 with what the page chose.
// Run by scripts/test-rgw.sh (playwright.rgw.config.js) while the one-node cluster is up.
import { createHash } from 'node:crypto';
import { test, expect } from './fixtures.js';
import { file, installPatterned, patterned, sha256, sized, submit, row, startServer } from '../fixtures.js';

const md5 = (data) => createHash('md5').update(data).digest('hex');
const MiB = 1024 * 1024;
/** What setInputFiles takes: the file without the name it is expected to be stored under. */
const chosenFile = ({ storedName, ...chosen }) => chosen;
const unicodeName = 'r\u00e9sum\u00e9 "final" \u65e5\u672c.txt';

/** Each submitted key is an object in RGW with the chosen bytes and type. */
async function expectInRgw(rgw, submitted, chosen) {
  expect(submitted.map((entry) => entry.name)).toEqual(chosen.map((f) => f.storedName ?? f.name));
  for (const [index, entry] of submitted.entries()) {
    const want = chosen[index];
    const stored = await rgw.object(entry.key);
    expect(stored, entry.key).toMatchObject({ size: want.buffer.length, sha256: sha256(want.buffer), type: want.mimeType });
  }
}

test('drop-in: one file, several with the same name, a zero-byte file, a unicode name and a second input', async ({ page, rgw }) => {
  await page.goto('/form');
  const single = file('hello.txt', 'hello from the drop-in');
  const many = [file('same.txt', 'first'), { ...file('same.txt', 'second'), storedName: 'same (2).txt' },
                file('empty.txt', ''), file(unicodeName, 'unicode \u2713')];
  const other = sized('other.bin', 1_500_000);
  await page.setInputFiles('#id_file', single);
  await page.setInputFiles('#id_multiple_file', many.map(chosenFile));
  await page.setInputFiles('#id_other_file', other);
  const sent = await submit(page, () => page.click('#save_continue'));
  expect(sent.status).toBe(201);
  expect(sent.json.fields.save_continue).toEqual(['continue']);
  expect(sent.json.fields.progress).toEqual(['1']);
  await expectInRgw(rgw, sent.json.files.file, [single]);
  await expectInRgw(rgw, sent.json.files.multiple_file, many);
  await expectInRgw(rgw, sent.json.files.other_file, [other]);
  // The same-named files share one signed folder and are two objects.
  const [first, second] = sent.json.files.multiple_file.map((entry) => entry.key);
  expect(first.split('/').slice(0, -1)).toEqual(second.split('/').slice(0, -1));
  expect(first).not.toBe(second);
});

test('drop-in: a file over the policy limit never reaches RGW and the form is not submitted', async ({ page, rgw }) => {
  await page.goto('/form');
  let toStorage = 0;
  page.on('request', (r) => { if (r.url().startsWith(process.env.RGW_ENDPOINT)) toStorage += 1; });
  let submits = 0;
  page.on('request', (r) => { if (r.url().endsWith('/submit')) submits += 1; });
  await page.setInputFiles('#id_file', sized('big.bin', 3 * 1024 * 1024));
  await expect(page.locator('#id_file + [role=alert]')).toHaveText('big.bin is 3 MB; the largest file allowed is 2 MB.');
  await page.click('#save');
  await expect(page.locator('#id_file')).toHaveAttribute('aria-invalid', 'true');
  expect(page.url()).toMatch(/\/form$/);
  expect([toStorage, submits]).toEqual([0, 0]);
  // Replaced by a file that fits, it is stored and submitted.
  const small = file('small.txt', 'small');
  await page.setInputFiles('#id_file', small);
  const sent = await submit(page, () => page.click('#save'));
  await expectInRgw(rgw, sent.json.files.file, [small]);
});

test('<s3-file>: several files, same-named, zero-byte and unicode, stored in RGW and submitted as keys', async ({ page, rgw }) => {
  await page.goto('/demo/bare.html');
  const chosen = [sized('photo.jpg', 1_200_000, 'image/jpeg'), file('same.txt', 'one'), file('same.txt', 'two'),
                  file('empty.txt', ''), file(unicodeName, 'unicode')];
  await page.setInputFiles('#files', chosen);
  const sent = await submit(page, () => page.click('form button'));
  expect(sent.status).toBe(201);
  await expectInRgw(rgw, sent.json.files.files, chosen);
  // One signed folder per file (each key verified by the signature submitted with it), so the
  // same-named files keep their name and are still two objects.
  expect(sent.entries.getAll('files-s3f-signature')).toHaveLength(chosen.length);
  const keys = sent.json.files.files.map((entry) => entry.key);
  expect(new Set(keys).size).toBe(chosen.length);
});

test('<s3-file>: a file the server refuses shows its message; the other is stored; no submit', async ({ page }) => {
  await page.goto('/demo/bare.html');
  let submits = 0;
  page.on('request', (r) => { if (r.url().endsWith('/submit')) submits += 1; });
  const stored = [];
  page.on('response', (r) => { if (r.url().startsWith(process.env.RGW_ENDPOINT) && r.status() === 201) stored.push(r.url()); });
  await page.setInputFiles('#files', [sized('huge.bin', 3 * 1024 * 1024), file('fine.txt', 'fine')]);
  await page.click('form button');
  await expect(row(page, 'huge.bin')).toHaveAttribute('data-state', 'failed');
  await expect(row(page, 'huge.bin').locator('.status')).toHaveText('huge.bin is 3 MB; the largest file allowed is 2 MB.');
  await expect(row(page, 'fine.txt')).toHaveAttribute('data-state', 'stored');
  expect([stored.length, submits]).toEqual([1, 0]);
  expect(page.url()).toContain('/demo/bare.html');
});

test('upload(): keys in file order and ETags quoted like S3\'s, though RGW sends them bare and only in its XML', async ({ page, rgw }) => {
  await page.goto('/demo/library-only.html');
  const contents = ['alpha', 'beta!', ''];
  const results = await page.evaluate(async (texts) => {
    const { upload } = await import('/s3file.js');
    const files = texts.map((text, index) => new File([text], `f${index}.txt`, { type: 'text/plain' }));
    return (await upload(files, { policyUrl: '/api/policy', field: 'docs' })).map(({ key, etag }) => ({ key, etag }));
  }, contents);
  expect(results.map((r) => r.key.split('/').pop())).toEqual(['f0.txt', 'f1.txt', 'f2.txt']);
  for (const [index, { key, etag }] of results.entries()) {
    expect(etag).toBe(`"${md5(contents[index])}"`);
    const stored = await rgw.object(key);
    expect(stored).toMatchObject({ sha256: sha256(contents[index]), etag });
  }
});

test('upload(): RGW\'s refusals without a Message still read as whole sentences; nothing is stored', async ({ page, rgw }) => {
  await page.goto('/demo/library-only.html');
  // A forged signature (403 AccessDenied, empty Message) and a size the page lied about to the
  // policy server (RGW's own 400 EntityTooLarge, empty Message, no MaxSizeAllowed).
  await page.route('**/api/policy', async (route) => {
    const body = route.request().postDataJSON();
    const lie = { ...body, files: body.files.map((f) => ({ ...f, size: Math.min(f.size, 1000) })) };
    const response = await route.fetch({ postData: JSON.stringify(lie) });
    const json = await response.json();
    json.files = json.files.map((policy, index) => (body.files[index].name !== 'forged.txt' ? policy
      : { ...policy, fields: { ...policy.fields, 'x-amz-signature': '0'.repeat(64) } }));
    await route.fulfill({ response, json });
  });
  const failure = await page.evaluate(async () => {
    const { upload } = await import('/s3file.js');
    const files = [new File(['forged'], 'forged.txt', { type: 'text/plain' }),
                   new File([new Uint8Array(3 * 1024 * 1024)], 'large.bin', { type: 'application/octet-stream' })];
    try {
      await upload(files, { policyUrl: '/api/policy' });
      return null;
    } catch (error) {
      return error.errors.map((e) => ({ name: e.file.name, code: e.code, status: e.status, message: e.message }));
    }
  });
  expect(failure).toEqual([
    { name: 'forged.txt', code: 'AccessDenied', status: 403, message: 'Storage refused the upload (AccessDenied).' },
    { name: 'large.bin', code: 'EntityTooLarge', status: 400, message: 'The file exceeds the maximum size allowed.' },
  ]);
  const keys = await rgw.keys('tmp/s3file/');
  expect(keys.filter((key) => /\/(forged\.txt|large\.bin)$/.test(key))).toEqual([]);
});

// S3 multipart through the server's Companion routes, parts PUT straight to RGW. The shared server
// caps uploads at 2 MB (the flows above need that), so a second one in the real-S3 mode without
// --max-size, on the port after the shared server's storage port.
test.describe('multipart', () => {
  let server;
  test.beforeAll(async () => {
    const port = Number(process.env.S3FILE_RGW_E2E_PORT || 18180) + 2;
    const { AWS_SESSION_TOKEN, ...environment } = process.env;
    server = await startServer(['--port', String(port), '--s3-port', String(port + 1), '--s3-endpoint', process.env.RGW_ENDPOINT,
      '--bucket', process.env.RGW_BUCKET, '--region', process.env.RGW_REGION],
    { env: { ...environment, AWS_ACCESS_KEY_ID: process.env.RGW_ACCESS_KEY, AWS_SECRET_ACCESS_KEY: process.env.RGW_SECRET_KEY } });
  });
  test.afterAll(async () => { await server?.stop(); });

  test('upload(): a 20 MiB file in three parts with Content-MD5, stored in RGW; the multipart ETag reported', async ({ page, rgw }) => {
    await page.goto(`${server.app}/demo/library-only.html`);
    const size = 20 * MiB + 5;
    let partPuts = 0;
    page.on('request', (r) => { if (r.method() === 'PUT' && r.url().startsWith(process.env.RGW_ENDPOINT)) partPuts += 1; });
    await installPatterned(page);
    const result = await page.evaluate(async (size) => {
      const bytes = window.patterned(size, 7);
      const { upload, engine } = await import('/s3file.js');
      const parts = [];
      (await engine(true)).listen('s3file:part', (e) => parts.push([e.detail.part, e.detail.partSize, e.detail.etag]));
      const file = new File([bytes], 'video.bin', { type: 'video/mp4' });
      const [done] = await upload(file, { policyUrl: '/api/policy', multipartUrl: '/s3/multipart', multipartThreshold: 5 * 1024 * 1024 });
      return { key: done.key, etag: done.etag, signature: done.signature, parts: parts.sort((a, b) => a[0] - b[0]) };
    }, size);
    const want = Buffer.from(patterned(size, 7).buffer);
    // 8 MiB parts (the engine's minimum): 8 + 8 + 4 MiB and 5 bytes; each ETag the MD5 of its slice.
    const slices = [want.subarray(0, 8 * MiB), want.subarray(8 * MiB, 16 * MiB), want.subarray(16 * MiB)];
    expect(result.parts).toEqual(slices.map((slice, index) => [index + 1, slice.length, `"${md5(slice)}"`]));
    expect(partPuts).toBe(3);
    // RGW answers CompleteMultipartUpload with an empty <ETag>; the server's complete route HEADs
    // the object, so the page reports S3's multipart ETag, "<md5 of the part MD5s>-3".
    const partDigests = Buffer.concat(slices.map((slice) => createHash('md5').update(slice).digest()));
    expect(result.etag).toBe(`"${md5(partDigests)}-3"`);
    const stored = await rgw.object(result.key);
    expect(stored).toMatchObject({ size, sha256: sha256(want), type: 'video/mp4', etag: result.etag });
    const submitted = await page.request.post(`${server.app}/submit`,
      { form: { s3file: 'doc', doc: result.key, 'doc-s3f-signature': result.signature } });
    expect(submitted.status()).toBe(201);
    expect((await submitted.json()).files.doc.map((entry) => entry.key)).toEqual([result.key]);
  });
});
