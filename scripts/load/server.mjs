// The server under test: started on ephemeral loopback ports with its own storage folder,
// observed through /proc, and stopped by its pid whatever happens.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { memory, startServer } from '../bench/server.mjs';

const STOP_GRACE_MS = 5000;  // SIGTERM first (clean shutdown), then SIGKILL

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms).unref(); });

/**
 * Starts s3file-server with --storage `storage`; writes its pid to `pidFile` so that
 * scripts/load.sh can still stop it should this Node process itself be killed.
 */
export async function startLoadServer(root, storage, pidFile) {
  const server = await startServer(root, ['--storage', storage]);
  writeFileSync(pidFile, `${server.pid}\n`);
  let gone = false;
  server.exited.then(() => { gone = true; });
  return {
    ...server,
    get running() { return !gone; },
    /** SIGTERM, then SIGKILL after a grace period; resolves with how it ended. */
    async stopByPid() {
      if (gone) return 'had already exited';
      process.kill(server.pid, 'SIGTERM');
      if (await Promise.race([server.exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]))
        return 'stopped by SIGTERM';
      process.kill(server.pid, 'SIGKILL');
      await server.exited;
      return `killed (SIGKILL): SIGTERM left it running for ${STOP_GRACE_MS / 1000} s`;
    },
    /** Last resort from a synchronous exit handler. */
    killNow() {
      if (!gone) process.kill(server.pid, 'SIGKILL');
    },
  };
}

/** RSS, peak RSS (KiB), threads and open file descriptors of a running process. */
export async function processSample(pid) {
  return { ...(await memory(pid)), fds: readdirSync(`/proc/${pid}/fd`).length };
}

/**
 * The machine's count of connections dropped because a listen backlog was full (TcpExt
 * ListenOverflows): each costs its client a SYN retransmission, 1 s or more. System-wide, so
 * other programs' overflows count too.
 */
export function listenOverflows() {
  const [names, values] = readFileSync('/proc/net/netstat', 'utf8').split('\n')
    .filter((line) => line.startsWith('TcpExt:')).map((line) => line.split(/\s+/));
  return Number(values[names.indexOf('ListenOverflows')]);
}
