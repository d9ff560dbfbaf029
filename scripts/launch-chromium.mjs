// Debian's Chromium driven headless by playwright-core, with the flags this machine's closed
// network needs. Shared by the browser tests and the benchmark; `extraArgs` adds flags, `options`
// other launch options.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export function launchChromium(extraArgs = [], options = {}) {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install Debian's chromium or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
    ...options,
  });
}
