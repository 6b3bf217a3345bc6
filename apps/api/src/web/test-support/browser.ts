/**
 * What the dashboard's browser tests share: Debian's Chromium, launched headless with the
 * flags this machine's closed network needs, and the checks that it and the built
 * dashboard are there (failing with how to get them).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { DEFAULT_WEB_DIR } from '../web-app';

const CHROMIUM = process.env.SLIPWAY_TEST_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the dashboard's browser test needs Chromium at ${CHROMIUM}: apt-get install -y chromium (Debian's package), or set SLIPWAY_TEST_CHROMIUM`,
    );
  }
  if (!existsSync(`${DEFAULT_WEB_DIR}/index.html`)) {
    throw new Error(`the dashboard is not built: npm run build -w @slipway/web`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
