// One HTTP request with its own timeout, also ended by the run's abort signal (hard timeout,
// Ctrl-C), so no request can outlive the run however the server behaves. Failures carry a
// `kind`: 'timeout' (no complete answer in time), 'aborted' (the run ended), 'network'.
import { request } from 'node:http';
import { Readable } from 'node:stream';

export class RequestFailure extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

/** Reads the whole response body into a Buffer (small answers: JSON, XML). */
export async function collect(response) {
  const chunks = [];
  for await (const chunk of response) chunks.push(chunk);
  return { body: Buffer.concat(chunks) };
}

/**
 * Sends `method url`; `body` is a string/Buffer or an iterable of chunks (streamed with
 * backpressure). `consume(response)` reads the answer (default: collect). Resolves with
 * {status, headers, ...consume's result, ms}.
 */
export function send(url, { method = 'GET', headers = {}, body, agent, timeoutMs, signal, consume = collect }) {
  const target = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method, headers, agent });
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (outcome instanceof Error) {
        req.destroy();  // frees the socket at once, so a blocked server keeps no client resources
        reject(outcome);
      } else {
        resolve({ ...outcome, ms: performance.now() - started });
      }
    };
    const timer = setTimeout(() => settle(new RequestFailure('timeout', `no answer within ${timeoutMs / 1000} s`)),
      timeoutMs);
    const onAbort = () => settle(new RequestFailure('aborted', 'the run ended first'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => settle(new RequestFailure('network', error.code || error.message)));
    req.on('response', (response) => {
      consume(response).then(
        (result) => settle({ status: response.statusCode, headers: response.headers, ...result }),
        (error) => settle(new RequestFailure('network', error.code || error.message)));
    });
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else Readable.from(body, { objectMode: false }).on('error', (error) => settle(error)).pipe(req);
  });
}
