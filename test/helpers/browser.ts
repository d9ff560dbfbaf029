import type { Browser } from 'playwright-core';
import { launchChromium as launch } from '../../scripts/launch-chromium.mjs';

/** Debian's Chromium, driven headless with the flags this machine's closed network needs. */
export function launchChromium(): Promise<Browser> {
  return launch();
}
