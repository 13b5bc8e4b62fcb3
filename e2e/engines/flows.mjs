// The cross-engine flows, written once against driver.mjs. Each asserts on what the server
// answered (/submit's JSON, upload()'s results) and reads the stored objects back from the
// emulator (GET /<bucket>/<key> on the storage port), comparing SHA-256.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const file = (name, content, mimeType = 'text/plain') => ({ name, mimeType, content: Buffer.from(content) });

/** The object's bytes from the emulator; checks its SHA-256 against `want`. */
async function readBack(env, key, want) {
  const url = `${env.storage}/s3file/${key.split('/').map(encodeURIComponent).join('/')}`;
  const response = await fetch(url);
  assert.equal(response.status, 200, `GET ${url}`);
  const body = Buffer.from(await response.arrayBuffer());
  assert.equal(sha256(body), want, `stored bytes of ${key}`);
  assert.equal(response.headers.get('x-amz-meta-sha256'), want, `emulator's SHA-256 of ${key}`);
  return body;
}

const storagePosts = async (env) => (await (await fetch(`${env.app}/_faults`)).json()).storage_posts;

/** After a native submit of /form, the page is /submit's JSON answer. */
async function submitted(driver) {
  const text = await driver.waitFor(() => location.pathname === '/submit' && document.readyState === 'complete'
    && document.body && document.body.textContent, null, 30_000);
  return JSON.parse(text);
}

export const flows = {
  async 'drop-in /form: single + multiple + second input, button value, progress 1'(driver, env) {
    await driver.open(`${env.app}/form`);
    await driver.waitFor(() => document.readyState === 'complete');
    const single = file('single.txt', 'one file in #id_file');
    const many = ['c.txt', 'a.txt', 'b.txt'].map((n) => file(n, `content of ${n} `.repeat(4000)));
    const other = file('other.txt', 'the second single input');
    await driver.chooseFiles('#id_file', [single]);
    await driver.chooseFiles('#id_multiple_file', many);
    await driver.chooseFiles('#id_other_file', [other]);
    assert.deepEqual(await driver.evaluate(() => ['id_file', 'id_multiple_file', 'id_other_file']
      .map((id) => [...document.getElementById(id).files].map((f) => f.name))),
    [['single.txt'], ['c.txt', 'a.txt', 'b.txt'], ['other.txt']], 'files chosen');
    const posts = await storagePosts(env);
    await driver.click('#save_continue');
    const json = await submitted(driver);
    assert.deepEqual(json.fields.save_continue, ['continue'], 'submit button name/value kept');
    assert.deepEqual(json.fields.progress, ['1'], 'seed progress reached 1');
    assert.deepEqual(json.files.file.map((f) => [f.name, f.sha256]), [['single.txt', sha256(single.content)]]);
    assert.deepEqual(json.files.multiple_file.map((f) => [f.name, f.sha256]), many.map((f) => [f.name, sha256(f.content)]));
    assert.deepEqual(json.files.other_file.map((f) => [f.name, f.sha256]), [['other.txt', sha256(other.content)]]);
    for (const f of [...json.files.file, ...json.files.multiple_file, ...json.files.other_file]) {
      assert.match(f.key, /^tmp\/s3file\/[0-9a-f]{32}\/[^/]+$/);
      await readBack(env, f.key, f.sha256);
    }
    assert.equal(await storagePosts(env), posts + 5, 'one storage POST per file');
  },

  async '<s3-file> on / with its policy URL'(driver, env) {
    await driver.open(`${env.app}/`);
    await driver.waitFor(() => customElements.get('s3-file') !== undefined && !!document.querySelector('s3-file').shadowRoot);
    const files = [file('same.txt', 'one'), file('same.txt', 'two'), file('notes.txt', 'notes '.repeat(10_000))];
    await driver.chooseFiles('#doc', files);
    await driver.waitFor(() => document.querySelector('s3-file').shadowRoot.querySelectorAll('.file').length === 3);
    await driver.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await driver.click('#element-form button');
    // The form targets the result iframe: the page stays, the iframe shows /submit's JSON.
    const text = await driver.waitFor(() => {
      const frame = document.getElementById('result');
      const doc = frame && frame.contentDocument;
      return doc && doc.location.pathname === '/submit' && doc.readyState === 'complete' && doc.body && doc.body.textContent;
    }, null, 30_000);
    const json = JSON.parse(text);
    assert.deepEqual(json.fields.title, ['Demo']);
    assert.deepEqual(json.fields.action, ['save']);
    assert.deepEqual(json.files.doc.map((f) => [f.name, f.sha256]), files.map((f) => [f.name, sha256(f.content)]));
    assert.equal(new Set(json.files.doc.map((f) => f.key.split('/').slice(0, -1).join('/'))).size, 3, 'one signed folder per file');
    for (const f of json.files.doc) await readBack(env, f.key, f.sha256);
    const view = await driver.evaluate(() => {
      const root = document.querySelector('s3-file').shadowRoot;
      return { stored: root.querySelectorAll('.file[data-state=stored]').length,
        total: root.querySelector('[part~=total-progress]')?.getAttribute('aria-valuenow') };
    });
    assert.deepEqual(view, { stored: 3, total: '100' });
  },

  async 'upload() resolves with keys'(driver, env) {
    await driver.open(`${env.app}/demo/library-only.html`);
    const result = await driver.evaluate(async () => {
      const { upload } = await import('/s3file.js');
      const files = [new File(['alpha'], 'a.txt', { type: 'text/plain' }), new File(['beta!'], 'b.txt', { type: 'text/plain' })];
      const ticks = [];
      const done = await upload(files, { policyUrl: '/api/policy', field: 'docs', onProgress: (d) => ticks.push(d.formProgress) });
      return { done: done.map(({ key, etag, signature, input }) => ({ key, etag, signature, input })), last: ticks.at(-1) };
    });
    assert.equal(result.last, 1, 'formProgress ends at 1');
    assert.deepEqual(result.done.map((r) => r.key.split('/').pop()), ['a.txt', 'b.txt']);
    for (const r of result.done) {
      assert.match(r.etag, /^"[0-9a-f]{32}"$/);
      assert.equal(r.signature.length, 43);
      assert.equal(r.input, 'docs');
    }
    await readBack(env, result.done[0].key, sha256('alpha'));
    await readBack(env, result.done[1].key, sha256('beta!'));
  },

  async 'a refused file shows its message, form not submitted'(driver, env) {
    await driver.open(`${env.app}/form`);
    await driver.waitFor(() => document.readyState === 'complete');
    const posts = await storagePosts(env);
    await driver.chooseFiles('#id_file', [file('big.bin', Buffer.alloc(3 * 1024 * 1024, 1), 'application/octet-stream')]);
    const message = await driver.waitFor(() => document.querySelector('#id_file + [role=alert]')?.textContent);
    assert.equal(message, 'big.bin is 3 MB; the largest file allowed is 2 MB.');
    assert.equal(await driver.evaluate(() => document.getElementById('id_file').getAttribute('aria-invalid')), 'true');
    await driver.click('#save');
    await new Promise((r) => setTimeout(r, 1500));
    const state = await driver.evaluate(() => ({ path: location.pathname, files: document.getElementById('id_file').files.length,
      hidden: document.querySelectorAll('input[type=hidden][name=s3file]').length }));
    assert.deepEqual(state, { path: '/form', files: 1, hidden: 0 }, 'still on /form, file kept, no hidden fields');
    assert.equal(await storagePosts(env), posts, 'no byte sent to storage');
  },

  async 'a stored object read back: SHA-256 of 1 MiB random bytes'(driver, env) {
    const content = randomBytes(1024 * 1024 + 7);
    await driver.open(`${env.app}/form`);
    await driver.waitFor(() => document.readyState === 'complete');
    await driver.chooseFiles('#id_file', [file('random.bin', content, 'application/octet-stream')]);
    await driver.click('#save');
    const json = await submitted(driver);
    const [stored] = json.files.file;
    assert.equal(stored.name, 'random.bin');
    assert.equal(stored.size, content.length);
    assert.equal(stored.sha256, sha256(content));
    const body = await readBack(env, stored.key, sha256(content));
    assert.ok(body.equals(content), 'stored bytes equal the chosen file');
  },
  async 'drop-in: unicode and quoted names, zero bytes, same-named files'(driver, env) {
    await driver.open(`${env.app}/form`);
    await driver.waitFor(() => document.readyState === 'complete');
    const chosen = [file('zéro "q" ü.txt', 'unicode'), file('empty.txt', ''), file('same.txt', 'first'), file('same.txt', 'second')];
    await driver.chooseFiles('#id_multiple_file', chosen);
    await driver.click('#save');
    const json = await submitted(driver);
    assert.deepEqual(json.files.multiple_file.map((f) => [f.name, f.size, f.sha256]),
      [['zéro "q" ü.txt', 7, sha256('unicode')], ['empty.txt', 0, sha256('')],
       ['same.txt', 5, sha256('first')], ['same (2).txt', 6, sha256('second')]]);
    for (const f of json.files.multiple_file) await readBack(env, f.key, f.sha256);
  },
  async '<s3-file>: a file the policy server refuses shows its message, form not submitted'(driver, env) {
    await driver.open(`${env.app}/`);
    await driver.waitFor(() => customElements.get('s3-file') !== undefined && !!document.querySelector('s3-file').shadowRoot);
    const posts = await storagePosts(env);
    // Refused by the policy server (its --max-size 2MB: a 400 naming the file), not by a type,
    // since engines name types differently; the other file is stored.
    await driver.chooseFiles('#doc', [file('ok.txt', 'ok'), file('huge.txt', Buffer.alloc(3 * 1024 * 1024, 65))]);
    // The rows push the button down as they appear, so the click waits until they are laid out:
    // once in eight full runs, WebKit's click submitted nothing (rows still Ready, no upload,
    // the frame blank), as a click aimed at where the button was would.
    await driver.waitFor(() => document.querySelector('s3-file').shadowRoot.querySelectorAll('.file').length === 2);
    await driver.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await driver.click('#element-form button');
    // Functions are sent to the browser as source, so this one holds everything it uses.
    const seen = await driver.waitFor(() => {
      const root = document.querySelector('s3-file').shadowRoot;
      const rows = Object.fromEntries([...root.querySelectorAll('.file')].map((li) =>
        [li.querySelector('.name').title, li.querySelector('.status').textContent]));
      return rows['ok.txt'] === 'Uploaded' && rows['huge.txt'] !== 'Ready' && rows;
    }, null, 20_000);
    assert.equal(seen['ok.txt'], 'Uploaded');
    assert.match(seen['huge.txt'], /huge\.txt.*(3 MB).*2 MB/);
    await new Promise((r) => setTimeout(r, 500));
    const state = await driver.evaluate(() => ({
      frame: document.getElementById('result').contentDocument?.location.pathname ?? null,
      hidden: document.querySelectorAll('#element-form input[type=hidden]').length,
      files: document.getElementById('doc').files.length }));
    assert.equal(state.hidden, 0, 'no hidden field left behind');
    assert.equal(state.files, 2, 'the chosen files stay');
    assert.notEqual(state.frame, '/submit', 'the form was not submitted');
    assert.equal(await storagePosts(env), posts + 1, 'only ok.txt was sent to storage');
  },

  async 'upload() through S3 multipart: two parts hashed for Content-MD5, read back'(driver, env) {
    // The second server (no --max-size): the multipart engine, its streamed reads of a disk file
    // (a BYOB reader in Chromium and Firefox, a default one in WebKit), MD5 in wasm, part PUTs
    // and the exposed ETag, in each engine.
    const content = randomBytes(12 * 1024 * 1024 + 5);  // an 8 MiB part and a 4 MiB one
    await driver.open(`${env.mpApp}/demo/library-only.html`);
    await driver.evaluate(() => document.body.append(Object.assign(document.createElement('input'), { type: 'file', id: 'mp-file' })));
    await driver.chooseFiles('#mp-file', [file('big.bin', content, 'application/octet-stream')]);
    const puts = (await (await fetch(`${env.mpApp}/_faults`)).json()).part_puts;
    const done = await driver.evaluate(async () => {
      const { upload } = await import('/s3file.js');
      const [stored] = await upload(document.getElementById('mp-file').files[0],
        { policyUrl: '/api/policy', multipartUrl: '/s3/multipart', multipartThreshold: 5 * 1024 * 1024 });
      return { key: stored.key, etag: stored.etag, signature: stored.signature };
    });
    assert.match(done.key, /^tmp\/s3file\/[0-9a-f]{32}-[0-9a-f]{32}\/big\.bin$/, 'a key in a fresh folder');
    assert.match(done.etag, /^"[0-9a-f]{32}-2"$/, 'a two-part ETag');
    assert.equal(done.signature.length, 43);
    assert.equal((await (await fetch(`${env.mpApp}/_faults`)).json()).part_puts, puts + 2, 'one PUT per part');
    const body = await readBack({ storage: env.mpStorage }, done.key, sha256(content));
    assert.ok(body.equals(content), 'stored bytes equal the chosen file');
  },
};
