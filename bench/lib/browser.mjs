// Debian's Chromium driven by playwright-core, with the flags of test/helpers/browser.ts plus two
// that keep timers from being throttled, so every page runs as a foreground tab would.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export function launchBrowser() {
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
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
    ],
  });
}

/**
 * A fresh browser context with one page at `url`, and a reading of the page's main-thread busy
 * time (Chrome's Performance.getMetrics TaskDuration: every task the renderer's main thread ran).
 */
export async function openPage(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (url) await page.goto(url);
  return {
    page,
    async mainThreadMs() {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((metric) => metric.name === 'TaskDuration').value * 1000;
    },
    close: () => context.close(),
  };
}
