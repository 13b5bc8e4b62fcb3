// What a browser does against s3file, over node:http: ask the app for a policy, POST the file
// to storage (policy fields first, file part last, via the bench's formEnvelope), and — for
// the verification only — read the object back.
import { createHash } from 'node:crypto';
import { formEnvelope } from '../bench/storage.mjs';
import { fileChunks } from './content.mjs';
import { RequestFailure, send } from './http.mjs';

const TYPE = 'application/octet-stream';

function expectStatus(answer, status) {
  if (answer.status !== status) throw new RequestFailure(`HTTP ${answer.status}`, answer.body?.toString().slice(0, 200));
  return answer;
}

/** POST /api/policy as the widget sends it ({files: [...]}); resolves with the file's entry. */
export async function requestPolicy(run, agent, file) {
  const answer = expectStatus(await send(`${run.server.app}/api/policy`, {
    method: 'POST', agent, signal: run.signal, timeoutMs: run.config.LOAD_POLICY_TIMEOUT_S * 1000,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ files: [{ name: file.name, size: file.size, type: TYPE, field: 'file' }] }),
  }), 200);
  const entry = JSON.parse(answer.body).files?.[0];
  if (!entry?.url || !entry.fields?.policy) throw new RequestFailure('bad policy', answer.body.toString().slice(0, 200));
  return { entry, ms: answer.ms };
}

/** POSTs the file's deterministic bytes; resolves with the stored key, what was sent and the time. */
export async function uploadFile(run, agent, policy, file) {
  const { contentType, head, tail } = formEnvelope(policy.fields, { name: file.name, type: TYPE });
  const hash = createHash('sha256');
  function* body() {
    yield Buffer.from(head);
    yield* fileChunks(run.config.LOAD_SEED, file.index, file.size, hash);
    yield Buffer.from(tail);
  }
  const answer = expectStatus(await send(policy.url, {
    method: 'POST', agent, signal: run.signal, timeoutMs: run.config.LOAD_UPLOAD_TIMEOUT_S * 1000,
    headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(head) + file.size + Buffer.byteLength(tail) },
    body: body(),
  }), 201);
  const key = answer.body.toString().match(/<Key>([^<]*)<\/Key>/)?.[1];
  if (!key) throw new RequestFailure('no <Key> in the 201', answer.body.toString().slice(0, 200));
  // The keys here are plain ASCII (prefix/id/load-NNNNN.bin): no XML entities to decode.
  return { key, sha256: hash.digest('hex'), ms: answer.ms };
}

/** GET /<bucket>/<key>: the object's size and SHA-256 as read, and the server's x-amz-meta-sha256. */
export async function readBack(run, agent, bucketUrl, key) {
  const answer = await send(`${bucketUrl}/${key.split('/').map(encodeURIComponent).join('/')}`, {
    agent, signal: run.signal, timeoutMs: run.config.LOAD_UPLOAD_TIMEOUT_S * 1000,
    consume: async (response) => {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of response) {
        hash.update(chunk);
        size += chunk.length;
      }
      return { size, sha256: hash.digest('hex') };
    },
  });
  return { status: answer.status, size: answer.size, sha256: answer.sha256, serverSha256: answer.headers['x-amz-meta-sha256'] };
}

