// Playwright drives Debian's Chromium (never a downloaded browser; see README).
import { defineConfig } from '@playwright/test';

const port = Number(process.env.S3FILE_E2E_PORT || 18080);

export default defineConfig({
  testDir: './e2e',
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
});
