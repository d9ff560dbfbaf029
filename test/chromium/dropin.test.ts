import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { type TestServer, startServer } from '../helpers/server';

let browser: Browser;
let server: TestServer;
beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startServer()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('defines window.loupe and delivers a message from the drop-in script', async () => {
  const url = server.page(
    '/dropin',
    '<!doctype html><script src="/dist/loupe-agent.min.js"></script>',
  );
  const page = await browser.newPage();
  await page.goto(url);
  await page.evaluate(() => {
    (window as any).loupe.information('Smoke', 'Hello', 'from the drop-in');
    return (window as any).loupe.flush();
  });
  await server.waitFor(() => server.logMessages().length >= 1);
  expect(server.logMessages()[0]).toMatchObject({
    category: 'Smoke',
    caption: 'Hello',
    severity: 8,
  });
  await page.close();
});
