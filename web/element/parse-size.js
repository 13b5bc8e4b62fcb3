// Sizes in attributes (max-size="10MB") read like the server's --max-size: binary units.

const UNIT = { b: 0, k: 1, kb: 1, kib: 1, m: 2, mb: 2, mib: 2, g: 3, gb: 3, gib: 3, t: 4, tb: 4, tib: 4 };

/** "10MB", "1.5 GB", "512" (bytes) → bytes, binary like the server's --max-size; NaN if unreadable. */
export function parseSize(text) {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text ?? '');
  const power = match && UNIT[match[2].toLowerCase() || 'b'];
  return power === undefined || !match ? NaN : Math.round(Number(match[1]) * 1024 ** power);
}
