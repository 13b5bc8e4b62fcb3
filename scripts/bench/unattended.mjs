// A bench page run in a Chromium with no DevTools attached, as a user's browser runs it.
// Playwright drives Chromium through DevTools and turns on its Network domain for every page:
// each request then sends its events to Playwright as it goes, which cost the page's every
// request about 40 % more time on this machine (1,000 x 4 KiB: 590 files/s unattended against
// 420 with only Network.enable sent over a bare DevTools connection, same page, same browser).
// Sections whose figures are per-request costs run their page this way; the page reports back
// by POSTing its result to a loopback collector whose address it gets in its URL's hash.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS } from './browser.mjs';

// Playwright's launch passes these itself; a bare launch needs them said.
const UNATTENDED_ARGS = ['--headless', '--no-first-run', '--no-default-browser-check',
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding'];

/**
 * Opens `url` + `#args=<JSON of args>&result=<collector>` in a new headless Chromium (its own
 * profile, removed afterwards) and resolves with the JSON the page POSTs to the collector.
 * Rejects when the page posts {error}, when Chromium exits first, or after `timeoutMs`.
 * Chromium is stopped by its process group's id in every case.
 */
export async function runUnattended(url, args, { timeoutMs = 15 * 60 * 1000 } = {}) {
  let settle;
  const result = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  const collector = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { if (body.length < 1 << 20) body += chunk; });
    request.on('end', () => {
      response.writeHead(204, { 'Access-Control-Allow-Origin': '*' });
      response.end();
      if (request.method !== 'POST') return;
      try {
        const posted = JSON.parse(body);
        if (posted?.error) settle.reject(new Error(`the unattended page failed: ${posted.error}`));
        else settle.resolve(posted);
      } catch {
        settle.reject(new Error('the unattended page posted no JSON'));
      }
    });
  });
  await new Promise((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const profile = mkdtempSync(join(tmpdir(), 's3file-bench-chromium-'));
  const hash = new URLSearchParams({ args: JSON.stringify(args), result: `http://127.0.0.1:${collector.address().port}/result` });
  // Its own process group, so the browser's helper processes stop with it.
  const chromium = spawn(CHROMIUM, [...CHROMIUM_ARGS, ...UNATTENDED_ARGS, `--user-data-dir=${profile}`, `${url}#${hash}`],
    { stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => chromium.once('exit', resolve));
  exited.then(() => settle.reject(new Error('Chromium exited before the page reported')));
  const timer = setTimeout(() => settle.reject(new Error(`no result from ${url} within ${timeoutMs / 1000} s`)), timeoutMs);
  try {
    return await result;
  } finally {
    clearTimeout(timer);
    try { process.kill(-chromium.pid, 'SIGTERM'); } catch { /* gone already */ }
    const killer = setTimeout(() => { try { process.kill(-chromium.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await exited;
    clearTimeout(killer);
    collector.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
