// The browser flows against Ceph RGW (e2e/rgw/): Debian's Chromium, the s3file server in its
// real-S3 mode (--s3-endpoint) issuing policies for the one-node cluster that
// scripts/test-rgw.sh started (RGW_* variables from scripts/rgw.sh), the page uploading straight
// to the gateway. Not part of the emulator suites (playwright.config.js ignores e2e/rgw/).
import { defineConfig } from '@playwright/test';
import base from './playwright.config.js';

for (const name of ['RGW_ENDPOINT', 'RGW_BUCKET', 'RGW_REGION', 'RGW_ACCESS_KEY', 'RGW_SECRET_KEY'])
  if (!process.env[name]) throw new Error(`${name} is not set: run through scripts/test-rgw.sh (it starts the cluster)`);

// The RGW user's keys, and no session token the calling shell may hold for something else.
const { AWS_SESSION_TOKEN, ...environment } = process.env;
const port = Number(process.env.S3FILE_RGW_E2E_PORT || 18180);

export default defineConfig({
  ...base,
  testDir: './e2e/rgw',
  testIgnore: [],
  use: { ...base.use, baseURL: `http://127.0.0.1:${port}` },
  webServer: {
    command: `build/native/s3file-server --port ${port} --s3-port ${port + 1} --storage e2e/.tmp/rgw-unused ` +
      `--s3-endpoint ${process.env.RGW_ENDPOINT} --bucket ${process.env.RGW_BUCKET} --region ${process.env.RGW_REGION} ` +
      '--max-size 2MB --secret e2e-rgw-secret-e2e-rgw-secret-e2e-rgw',
    env: { ...environment, AWS_ACCESS_KEY_ID: process.env.RGW_ACCESS_KEY, AWS_SECRET_ACCESS_KEY: process.env.RGW_SECRET_KEY },
    url: `http://127.0.0.1:${port}/form`,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
