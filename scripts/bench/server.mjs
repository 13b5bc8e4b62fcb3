// Starts the s3file server on ephemeral loopback ports and reports its URLs and pid.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const START_TIMEOUT_MS = 15000;

export async function startServer(root, args = []) {
  const child = spawn(`${root}build/native/s3file-server`, ['--port', '0', '--secret', 'bench'.repeat(8), ...args],
    { stdio: ['ignore', 'pipe', 'ignore'] });
  // Listened for at once, so an exit during start-up is not missed; callers that must wait for
  // the process to be gone (the load test) await it.
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // A server that neither prints its URLs nor exits would hang the caller: killing it closes
  // stdout, which ends the loop below.
  const startTimer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
  const urls = {};
  const emulated = !args.includes('--s3-endpoint');  // else no storage port to wait for
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const app = line.match(/^s3file-server: app (\S+)/);
    const s3 = line.match(/^s3file-server: storage (\S+)/);
    if (app) urls.app = app[1].replace(/\/$/, '');
    if (s3) urls.bucket = s3[1];
    if (urls.app && (urls.bucket || !emulated)) break;
  }
  clearTimeout(startTimer);
  if (!urls.app || (emulated && !urls.bucket)) {  // stdout closed first: it did not start (bad option, no build)
    child.kill('SIGKILL');
    throw new Error(`s3file-server (pid ${child.pid}) did not print its URLs (exited or timed out)`);
  }
  lines.on('line', () => {});  // keep draining the request log
  return { ...urls, pid: child.pid, exited, stop: () => child.kill('SIGTERM') };
}

/** Peak resident memory (VmHWM) and current RSS of a process, in KiB, and its thread count. */
export async function memory(pid) {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(status.match(new RegExp(`${name}:\\s+(\\d+)`))[1]);
  return { hwm: field('VmHWM'), rss: field('VmRSS'), threads: field('Threads') };
}
