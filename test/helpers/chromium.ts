import { type Browser, chromium } from 'playwright-core';

// Quiet, offline, container-friendly: no sandbox (runs as root in CI), no GPU, no background traffic.
const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The browser's executable: CHROMIUM_PATH when set, otherwise the Chromium build that `npm install` brings
 * inside @sparticuz/chromium (unpacked to the temp folder on first use), so `npm test` needs no system browser.
 */
export async function findChromium(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    return await packaged.executablePath();
  } catch (error) {
    throw new Error(
      `No Chromium for the browser tests (${(error as Error).message}). Run \`npm install\` (it brings ` +
        '@sparticuz/chromium), or set CHROMIUM_PATH to a Chromium, e.g. after `apt-get install -y chromium`: ' +
        'CHROMIUM_PATH=/usr/bin/chromium',
    );
  }
}

/** Launches headless Chromium through playwright-core, failing with what to install when there is none. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await findChromium(), headless: true, args: chromiumFlags });
}
