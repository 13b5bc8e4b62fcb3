// Deterministic upload plan and contents from one seed: a rerun with the same seed sends the
// same sizes and bytes, so a corruption seen once can be reproduced. Contents are never held
// in memory: they are an AES-CTR keystream, generated chunk by chunk at GB/s.
import { createCipheriv, createHash } from 'node:crypto';

const KiB = 1024;
const MiB = 1024 * KiB;
const CHUNK = 256 * KiB;

/** mulberry32: a tiny seeded PRNG, enough to pick sizes (not for keys). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * [{index, name, size}] for LOAD_UPLOADS files: mostly small (1 KiB..1 MiB, log-uniform, like
 * documents and photos), LOAD_BIG_PERCENT big ones (MAX/8..MAX MiB). When the sum exceeds
 * LOAD_TOTAL_MB the big ones shrink in proportion, so the total stays bounded.
 */
export function uploadPlan(config) {
  const random = prng(config.LOAD_SEED);
  const max = config.LOAD_MAX_MB * MiB;
  const files = [];
  for (let index = 0; index < config.LOAD_UPLOADS; index += 1) {
    const big = random() * 100 < config.LOAD_BIG_PERCENT;
    const size = big ? Math.round(max / 8 + random() * (max - max / 8))
                     : Math.round(KiB * 2 ** (random() * Math.log2(MiB / KiB)));
    files.push({ index, name: `load-${String(index).padStart(5, '0')}.bin`, size, big });
  }
  const cap = config.LOAD_TOTAL_MB * MiB;
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const bigTotal = files.reduce((sum, file) => sum + (file.big ? file.size : 0), 0);
  if (total > cap) {
    const scale = Math.max(0, cap - (total - bigTotal)) / bigTotal;
    for (const file of files) if (file.big) file.size = Math.floor(file.size * scale);
  }
  return files;
}

/**
 * The bytes of file `index` as chunks; each chunk also goes into `hash` (pass one to learn the
 * SHA-256 of what was actually sent).
 */
export function* fileChunks(seed, index, size, hash) {
  const key = createHash('sha256').update(`s3file-load/${seed}/${index}`).digest();
  const keystream = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(CHUNK);
  for (let left = size; left > 0; left -= CHUNK) {
    const chunk = keystream.update(left >= CHUNK ? zeros : zeros.subarray(0, left));
    hash?.update(chunk);
    yield chunk;
  }
}

export const formatBytes = (bytes) =>
  bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : bytes >= KiB ? `${(bytes / KiB).toFixed(1)} KiB` : `${bytes} B`;
