// Server-side benchmark: streaming a large upload into the S3 emulator (multipart parsing,
// MD5 + SHA-256, disk write) side by side with hashing the same file alone (a lower bound).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { request } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { memory } from './server.mjs';

async function policyFor(server, name, size) {
  const response = await fetch(`${server.app}/api/policy`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, size, type: 'application/octet-stream', field: 'file' }),
  });
  return response.json();
}

/**
 * The multipart body around a file, as the widget's engine builds it: the policy's fields,
 * success_action_status and Content-Type when the policy leaves them out, then the file part
 * last. Returns the request's Content-Type and the bytes before and after the file.
 */
export function formEnvelope(policyFields, file) {
  const boundary = `----s3file${randomBytes(16).toString('hex')}`;
  const fields = { ...policyFields };
  fields.success_action_status ??= '201';
  fields['Content-Type'] ??= file.type;
  let head = '';
  for (const [name, value] of Object.entries(fields))
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
    `Content-Type: ${file.type}\r\n\r\n`;
  return { contentType: `multipart/form-data; boundary=${boundary}`, head, tail: `\r\n--${boundary}--\r\n` };
}

/** POSTs `path` to the emulator as the widget would; resolves with seconds taken. */
export async function postFile(server, path) {
  const size = statSync(path).size;
  const policy = await policyFor(server, 'bench.bin', size);
  const { contentType, head, tail } = formEnvelope(policy.fields, { name: 'bench.bin', type: 'application/octet-stream' });
  const url = new URL(policy.url);
  const started = performance.now();
  const status = await new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: {
      'Content-Type': contentType,
      'Content-Length': Buffer.byteLength(head) + size + Buffer.byteLength(tail) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.write(head);
    const file = createReadStream(path, { highWaterMark: 1 << 20 });
    file.on('end', () => req.end(tail));
    file.pipe(req, { end: false });
  });
  if (status !== 201) throw new Error(`upload answered ${status}`);
  return (performance.now() - started) / 1000;
}

async function hashFile(path) {
  const started = performance.now();
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), createHash('sha256'));
  return (performance.now() - started) / 1000;
}

export async function storageBench(server, path) {
  const size = statSync(path).size;
  const before = await memory(server.pid);
  const upload = await postFile(server, path);
  const after = await memory(server.pid);
  const hash = await hashFile(path);
  const mb = size / (1 << 20);
  return {
    mib: mb,
    emulatorMBps: mb / upload,
    sha256MBps: mb / hash,
    ratio: (mb / upload) / (mb / hash),
    rssGrowthMiB: (after.hwm - before.hwm) / 1024,
  };
}
