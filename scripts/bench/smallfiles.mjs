// Many small files, side by side in one page (issue 11): the widget's upload() against a plain
// XMLHttpRequest + FormData loop with six in flight, against the seed's way (django-s3file's
// script: every XHR started at once), against Uppy 6 (@uppy/core + @uppy/aws-s3,
// shouldUseMultipart: false, six at a time), and the two form integrations, <s3-file> and the
// drop-in. The rounds run inside the page (rounds-page.js). Policies come from the same
// s3file-server (one batch request for the widget and the plain loops; one GET /s3/params per
// file for Uppy, as it asks Companion), and every upload goes to the same loopback sink that
// answers like S3 (201 and its XML, CORS as a bucket would), so the sink costs every contender
// alike and little. The page runs unattended (no DevTools attached, unattended.mjs) unless a
// slow link is emulated (`link`: Chromium's network emulation, a DevTools command, for the
// page's every request).
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { build } from 'esbuild';
import { runUnattended } from './unattended.mjs';

export const ROUNDS_PAGE = '/bench-rounds.html';

/** dist/ plus the Uppy bundle and the rounds page in `dir`, for s3file-server --web. */
export async function benchWeb(root, dir) {
  mkdirSync(dir, { recursive: true });
  cpSync(`${root}dist`, dir, { recursive: true });
  await build({ entryPoints: [`${root}scripts/bench/uppy-entry.js`], bundle: true, format: 'esm', minify: true,
    outfile: `${dir}/uppy-bench.js`, logLevel: 'error' });
  copyFileSync(`${root}scripts/bench/rounds-page.js`, `${dir}/bench-rounds.js`);
  // The page upload() is shown on in the demo, which imports nothing until a script does.
  const page = readFileSync(`${dir}/demo/library-only.html`, 'utf8');
  if (!page.includes('</body>')) throw new Error('demo/library-only.html has no </body> to add the rounds script before');
  writeFileSync(`${dir}${ROUNDS_PAGE}`, page.replace('</body>', '<script src="/bench-rounds.js"></script>\n</body>'));
  return dir;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A POST Object sink on loopback: drains the body, answers 201 with the key it was given. */
export async function startSink() {
  const server = createServer((request, response) => {
    const cors = { 'Access-Control-Allow-Origin': request.headers.origin || '*', 'Access-Control-Expose-Headers': 'ETag, Location' };
    if (request.method === 'OPTIONS') {
      response.writeHead(200, { ...cors, 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': '*',
        'Access-Control-Max-Age': '600' });
      return response.end();
    }
    let head = '';  // the fields come before the file: the first 64 KiB hold the key and filename
    request.on('data', (chunk) => { if (head.length < 65536) head += chunk.toString('latin1'); });
    request.on('end', () => {
      const key = /name="key"\r\n\r\n([^\r]*)/.exec(head)?.[1] || 'key';
      const filename = /filename="([^"]*)"/.exec(head)?.[1] || '';
      const stored = key.replace('${filename}', filename);
      const etag = '"d41d8cd98f00b204e9800998ecf8427e"';
      const location = `http://${request.headers.host}/s3file/${stored}`;
      response.writeHead(201, { ...cors, 'Content-Type': 'application/xml', ETag: etag, Location: location });
      response.end(`<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${location}</Location>` +
        `<Bucket>s3file</Bucket><Key>${stored}</Key><ETag>${etag}</ETag></PostResponse>`);
    });
  });
  server.keepAliveTimeout = 10000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, stop: () => new Promise((resolve) => server.close(resolve)) };
}

export const PLAIN = ['xhr6', 'seed'];  // the plain ways the widget is held against

/**
 * Files per second per contender (medians over `rounds` alternating rounds), the policy
 * requests each made per run (the most seen), each contender's ratio to the fastest plain way
 * with the lowest and highest of that ratio within a round, the widget's median ratio per round to
 * each plain way (`paired`), and the widget's ratio to Uppy.
 * Unattended (no DevTools attached) unless `attached`, or `link` ({latencyMs, upMbit, downMbit})
 * asks for Chromium's network emulation: then the rounds run in `page` (Playwright).
 */
export async function smallFilesBench(page, { app, count, size, rounds, link, attached = !!link,
  methods = ['widget', 'xhr6', 'seed', 'uppy', 'element', 'dropin'] }) {
  const run = { methods, count, size, rounds };
  let result;
  if (attached) {
    if (link) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: link.latencyMs,
        uploadThroughput: link.upMbit * 125000, downloadThroughput: link.downMbit * 125000 });
    }
    await page.goto(`${app}${ROUNDS_PAGE}`);
    result = await page.evaluate((args) => window.benchRounds(args), run);
  } else {
    result = await runUnattended(`${app}${ROUNDS_PAGE}`, run);
  }
  const { seconds, policyRequests } = result;
  const rate = Object.fromEntries(methods.map((m) => [m, count / median(seconds[m])]));
  const plain = PLAIN.filter((m) => rate[m]).reduce((a, b) => (rate[b] > rate[a] ? b : a));
  const ratioToPlain = Object.fromEntries(methods.map((m) => [m, rate[m] / rate[plain]]));
  // The same ratio within each round (the contender's time against the fastest plain way's in
  // that round): its lowest and highest show how far one round's ratio strays from the median's.
  const spread = Object.fromEntries(methods.map((m) => {
    const each = seconds[m].map((took, round) => seconds[plain][round] / took);
    return [m, [Math.min(...each), Math.max(...each)]];
  }));
  // The widget against each plain way on its own, round by round (both ran back to back, so a
  // round's ratio cancels the machine's drift), as medians: the fastest plain way is the higher
  // of two noisy medians, and where the two are level that maximum is lifted by their noise,
  // not by either way's speed.
  const paired = Object.fromEntries(PLAIN.filter((p) => rate[p] && rate.widget).map((p) =>
    [p, median(seconds[p].map((took, round) => took / seconds.widget[round]))]));
  return { rate, policyRequests, ratioToPlain, spread, paired, ratio: ratioToPlain.widget, uppyRatio: rate.widget / rate.uppy };
}
