// Slowloris: each client opens a TCP connection and sends a POST's header one byte per
// interval, never finishing it. A server that gives every connection a worker thread and no
// header deadline lends one thread per slow client for as long as the client likes; the run
// records whether (and after how long) the server cuts them.
import { connect } from 'node:net';

const CONNECT_TIMEOUT_MS = 10000;

class SlowClient {
  constructor(port, path, intervalMs) {
    // The request line and Host come slowly too: a header deadline must count from the accept.
    this.bytes = Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      'Content-Type: application/json\r\nX-Slowloris: ');
    this.sent = 0;
    this.closedAfterMs = null;  // set when the server (or the network) ended the connection
    this.how = null;  // 'closed' (FIN), 'reset', an error code, or the server's status line
    this.socket = connect({ host: '127.0.0.1', port, timeout: CONNECT_TIMEOUT_MS });
    this.socket.once('timeout', () => this.socket.destroy(new Error('connect timed out')));
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', () => {
        this.socket.setTimeout(0);  // from here on, silence is the server's right
        this.connectedAt = performance.now();
        this.timer = setInterval(() => this.#sendByte(), intervalMs);
        this.#sendByte();
        resolve();
      });
      this.socket.once('error', reject);
    });
    this.socket.on('data', (data) => { this.how ??= data.toString('latin1').split('\r\n')[0]; });
    this.socket.on('end', () => { this.how ??= 'closed'; });
    this.socket.on('error', (error) => { this.how ??= error.code === 'ECONNRESET' ? 'reset' : error.code; });
    this.socket.on('close', () => {
      clearInterval(this.timer);
      if (!this.detached && this.connectedAt !== undefined) this.closedAfterMs = performance.now() - this.connectedAt;
    });
  }

  #sendByte() {
    // After the prefix the header value just grows: 'a' per interval stays far below header
    // size limits within any bounded run (600 s = 600 bytes).
    const byte = this.sent < this.bytes.length ? this.bytes.subarray(this.sent, this.sent + 1) : 'a';
    this.socket.write(byte);
    this.sent += 1;
  }

  get cut() {
    return this.closedAfterMs !== null;
  }

  /** Ends the client from our side (end of run); a cut client stays as it was. */
  detach() {
    clearInterval(this.timer);
    if (!this.cut) this.attachedMs = this.connectedAt === undefined ? 0 : performance.now() - this.connectedAt;
    this.detached = true;
    this.socket.destroy();
  }
}

/** Connects `count` slow clients to 127.0.0.1:port; resolves once all are connected. */
export async function attachSlowClients(port, path, count, intervalMs) {
  const clients = Array.from({ length: count }, () => new SlowClient(port, path, intervalMs));
  const failed = (await Promise.allSettled(clients.map((client) => client.connected)))
    .find((result) => result.status === 'rejected');
  if (failed) {
    for (const client of clients) client.detach();
    throw new Error(`a slow client could not connect to port ${port}: ${failed.reason.message}`);
  }
  return clients;
}

/** What became of a port's slow clients, for the report. */
export function slowClientSummary(clients) {
  const cut = clients.filter((client) => client.cut);
  const attached = clients.filter((client) => !client.cut);
  const seconds = (ms) => (ms / 1000).toFixed(1);
  const parts = [`${clients.length} connected`];
  if (cut.length) {
    const after = cut.map((client) => client.closedAfterMs).sort((a, b) => a - b);
    const how = [...new Set(cut.map((client) => client.how))].join(' / ');
    parts.push(`${cut.length} cut by the server after ${seconds(after[0])}–${seconds(after.at(-1))} s (${how})`);
  }
  if (attached.length) {
    const longest = Math.max(...attached.map((client) => client.attachedMs ?? 0));
    const bytes = Math.max(...attached.map((client) => client.sent));
    parts.push(`${attached.length} still attached at the end, after ${seconds(longest)} s (${bytes} header bytes sent)`);
  }
  return parts.join('; ');
}
