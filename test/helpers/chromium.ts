import { access } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium; .ci/run installs it (`apt-get install chromium`) when it is missing. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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

/** Launches headless Debian chromium through playwright-core, failing clearly when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  await access(chromiumPath).catch(() => {
    throw new Error(`${chromiumPath} not found: run \`apt-get update && apt-get install -y chromium\``);
  });
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
}
