// Server-side benchmark: streaming a large upload into the S3 emulator (multipart parsing,
// MD5 + SHA-256, disk write) side by side with hashing the same file alone (a lower bound).
import { createHash } from 'node:crypto';
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

/** POSTs `path` to the emulator as the widget would; resolves with seconds taken. */
export async function postFile(server, path) {
  const size = statSync(path).size;
  const policy = await policyFor(server, 'bench.bin', size);
  const boundary = `----bench${Date.now()}`;
  const fields = { ...policy.fields, 'Content-Type': 'application/octet-stream' };
  let head = '';
  for (const [name, value] of Object.entries(fields))
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const url = new URL(policy.url);
  const started = performance.now();
  const status = await new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: {
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
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
