import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { type TestServer, startServer } from '../helpers/server';

let browser: Browser;
let server: TestServer;
beforeAll(async () => {
  [browser, server] = await Promise.all([
    launchChromium(),
    startServer((request, response) => {
      if (request.path === '/with-cookie') {
        response.writeHead(200, {
          'Content-Type': 'text/html',
          'Set-Cookie': 'LoupeSessionId=server-issued-id; Path=/',
        });
        response.end('<!doctype html><script src="/dist/loupe-agent.min.js"></script>');
        return true;
      }
    }),
  ]);
  server.page('/plain', '<!doctype html><title>no agent</title>');
  server.page('/app', '<!doctype html><script src="/dist/loupe-agent.min.js"></script>');
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const agentId = (page: Page) =>
  page.evaluate(() => (window as any).loupe.clientSessionHeader().headerValue as string);
const logAndFlush = (page: Page, caption: string) =>
  page.evaluate((text) => {
    (window as any).loupe.information('Session', text, '');
    return (window as any).loupe.flush();
  }, caption);
const messageBy = (caption: string) =>
  server.logMessages().find((message) => message.caption === caption);

it('keeps the agent session id and the sequence across a reload of the tab', async () => {
  const page = await browser.newPage();
  await page.goto(server.origin + '/app');
  const before = await agentId(page);
  await logAndFlush(page, 'before reload');
  await page.reload();
  expect(await agentId(page)).toBe(before);
  await logAndFlush(page, 'after reload');
  await server.waitFor(() => !!messageBy('after reload'));
  expect(messageBy('after reload')!.agentSessionId).toBe(before);
  expect(messageBy('after reload')!.sequence).toBeGreaterThan(messageBy('before reload')!.sequence);
  await page.close();
});

it('keeps the agent session id when the page uninstalls the agent and the tab reloads', async () => {
  const page = await browser.newPage();
  await page.goto(server.origin + '/app');
  const before = await agentId(page);
  await page.evaluate(() => (window as any).loupe.uninstall());
  await page.reload();
  expect(await agentId(page)).toBe(before);
  await page.close();
});

it('gives a window.open child, which starts with a copy of sessionStorage, an id of its own', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.origin + '/app');
  const parentId = await agentId(page);
  // The browser really copies: a child page without the agent sees the parent's stored id.
  const [plain] = await Promise.all([
    context.waitForEvent('page'),
    page.evaluate(() => void window.open('/plain')),
  ]);
  await plain.waitForLoadState();
  expect(await plain.evaluate(() => sessionStorage.getItem('LoupeAgentSessionId'))).toBe(parentId);
  const [child] = await Promise.all([
    context.waitForEvent('page'),
    page.evaluate(() => void window.open('/app')),
  ]);
  await child.waitForLoadState();
  const childId = await agentId(child);
  expect(childId).not.toBe(parentId);
  expect(await agentId(page)).toBe(parentId);
  // Each keeps its own id through its own reload.
  await child.reload();
  expect(await agentId(child)).toBe(childId);
  await context.close();
});

it('reads the session id from the LoupeSessionId cookie the server issued', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.origin + '/with-cookie');
  await logAndFlush(page, 'with cookie');
  await server.waitFor(() => !!messageBy('with cookie'));
  expect(messageBy('with cookie')!.sessionId).toBe('server-issued-id');
  await context.close();
});
