// Playwright drives Debian's Chromium (never a downloaded browser; see README) against the
// s3file server on loopback: app on one port, the S3 emulator on another (a real CORS origin).
import { defineConfig } from '@playwright/test';

const port = Number(process.env.S3FILE_E2E_PORT || 18080);
const storage = 'e2e/.tmp/storage';

export default defineConfig({
  testDir: './e2e',
  testIgnore: 'rgw/**',  // playwright.rgw.config.js runs those against Ceph RGW
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
             '--disable-component-update', '--disable-sync', '--disable-quic'],
    },
  },
  webServer: {
    command: `rm -rf ${storage} && build/native/s3file-server --port ${port} --s3-port ${port + 1} ` +
      `--storage ${storage} --max-size 2MB --accept "text/*,image/*,application/pdf,application/octet-stream" ` +
      '--secret e2e-secret-e2e-secret-e2e-secret-e2e',
    url: `http://127.0.0.1:${port}/form`,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
