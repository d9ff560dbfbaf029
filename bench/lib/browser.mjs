// Chromium as the tests launch it, plus two flags that keep timers from being throttled, so every
// page runs as a foreground tab would.
import { launchChromium } from '../../scripts/launch-chromium.mjs';

export function launchBrowser() {
  return launchChromium([
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
  ]);
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
    cdp,
    async mainThreadMs() {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((metric) => metric.name === 'TaskDuration').value * 1000;
    },
    close: () => context.close(),
  };
}
