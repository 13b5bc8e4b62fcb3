// Helpers for the browser flows against Ceph RGW (playwright.rgw.config.js): the page fixture of
// the emulator suites (no JavaScript errors allowed) plus `rgw`, which reads objects back from
// the gateway with boto3 (read_object.py), as a user's own code would.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test as base, expect } from '../fixtures.js';

const run = promisify(execFile);

async function readBack(...args) {
  const { stdout } = await run('/usr/bin/python3', ['e2e/rgw/read_object.py', ...args], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout);
}

export const test = base.extend({
  rgw: async ({}, use) => {
    await use({
      /** The object under `key` in the bucket: size, sha256, md5, etag, type; or {missing: true}. */
      object: (key) => readBack('get', key),
      /** Every key under `prefix`. */
      keys: (prefix) => readBack('list', prefix),
    });
  },
});

export { expect };
