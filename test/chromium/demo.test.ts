import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../../demo/startDemo';
import { launchChromium } from '../helpers/browser';

// The `npm start` demo end to end: click every button of the demo page in Chromium, then read
// the live viewer's page to find the messages and the requests, correlated by session.
// With LOUPE_SCREENSHOT=<file> it also saves the viewer as a 1280x800 PNG (see
// scripts/screenshot.mjs).

let browser: Browser;
let demo: RunningDemo;
let folder: string;
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'loupe-e2e-'));
  [browser, demo] = await Promise.all([
    launchChromium(),
    startDemo({ port: 0, thirdPartyPort: 0, dataDirectory: folder }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Click a demo button and wait for the page to report that it is done. */
async function click(page: Page, action: string) {
  const reported = await page.locator('#activity li').count();
  await page.click(`[data-action="${action}"]`);
  await page.locator('#activity li').nth(reported).waitFor();
}

function timelineItem(viewer: Page, kind: 'message' | 'request', text: string): Locator {
  return viewer.locator(`li.item[data-kind="${kind}"]`, { hasText: text }).first();
}

async function openSession(viewer: Page, sessionId: string) {
  await viewer.locator(`li.session-item[data-session="${sessionId}"]`).click();
  await viewer.locator('.session-header', { hasText: sessionId || 'Uncorrelated' }).waitFor();
}

it('shows every demo action in the viewer, correlated by session and tab', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(demo.demoUrl);
  const { sessionId, agentSessionId } = await page.evaluate(() => ({
    sessionId: /LoupeSessionId=([^;]+)/.exec(document.cookie)?.[1] ?? '',
    agentSessionId: (window as any).loupe.clientSessionHeader().headerValue as string,
  }));
  expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);

  // Oldest first: the viewer lists the newest on top.
  for (const action of [
    'reject',
    'record',
    'app-xhr',
    'app-fail',
    'third-fetch',
    'third-xhr',
    'third-jquery',
    'throw',
    'app-fetch',
    'app-jquery',
    'log',
    'warn',
  ]) {
    await click(page, action);
  }
  expect(await page.locator('#activity li.bad .title').allTextContents()).toEqual([
    'Threw a TypeError',
    'fetch → this app: 500',
    'Rejected a promise',
  ]);

  const viewer = await context.newPage();
  viewer.setDefaultTimeout(15_000);
  await viewer.goto(demo.viewerUrl);
  await viewer.locator('#live[data-state="live"]').waitFor();
  await openSession(viewer, sessionId);

  // The messages the page logged, from this tab's agent session, errors with stack and source.
  const messages = {
    log: timelineItem(viewer, 'message', 'Checkout started'),
    warn: timelineItem(viewer, 'message', 'Low stock'),
    record: timelineItem(viewer, 'message', 'SyntaxError'),
    throw: timelineItem(
      viewer,
      'message',
      "Cannot read properties of undefined (reading 'percent')",
    ),
    reject: timelineItem(viewer, 'message', 'The recommendations service timed out after 3000 ms'),
  };
  for (const message of Object.values(messages)) {
    await message.waitFor();
    expect(await message.getAttribute('data-agent-session')).toBe(agentSessionId);
    expect(await message.getAttribute('data-session')).toBe(sessionId);
  }
  expect(await messages.log.locator('.description').textContent()).toBe(
    'The customer has 3 items worth 42.50 EUR',
  );
  expect(await messages.log.locator('.source').textContent()).toContain(
    'demo.js · startCheckout()',
  );
  expect(await messages.throw.locator('.stack').textContent()).toContain('applyCoupon');
  expect(await messages.throw.locator('.source').textContent()).toContain('/static/demo.js');
  expect(await messages.reject.locator('.stack').textContent()).toContain('loadRecommendations');
  expect(await messages.record.locator('.caption').textContent()).toBe('SyntaxError');

  // The app's requests, recorded by its server with the session and the tab that made them.
  for (const url of [
    '/api/greeting?via=fetch',
    '/api/greeting?via=xhr',
    '/api/greeting?via=jquery',
    '/api/fail?via=fetch',
  ]) {
    const request = timelineItem(viewer, 'request', url);
    await request.waitFor();
    expect(await request.getAttribute('data-session'), url).toBe(sessionId);
    expect(await request.getAttribute('data-agent-session'), url).toBe(agentSessionId);
  }
  expect(await timelineItem(viewer, 'request', '/api/fail').locator('.status').textContent()).toBe(
    '500',
  );
  // The page load carried the cookie only: no agent session yet.
  const pageLoad = viewer.locator('li.item[data-kind="request"][data-url="/"]');
  expect(await pageLoad.locator('.id-chip.missing').textContent()).toBe('no agent session id');

  // Tabs: this page's agent session, with its browser.
  const tab = viewer.locator(`button[data-tab="${agentSessionId}"]`);
  expect(await tab.textContent()).toContain('Headless Chrome');
  await tab.click();
  await viewer.locator(`button[data-tab="${agentSessionId}"][aria-pressed="true"]`).waitFor();
  expect(await viewer.locator('li.item[data-agent-session=""]').count()).toBe(0);
  await viewer.locator('button[data-tab="*"]').click();

  // The third-party API got no ids: the viewer shows its requests as uncorrelated.
  await openSession(viewer, '');
  for (const url of ['/quote?via=fetch', '/quote?via=xhr', '/quote?via=jquery']) {
    const request = timelineItem(viewer, 'request', url);
    await request.waitFor();
    expect(await request.locator('.id-chip.missing').allTextContents()).toEqual([
      'no session id',
      'no agent session id',
    ]);
    expect(await request.locator('.origin-tag').textContent()).toBe('third-party API');
  }

  // The app sets its own session id and navigates: the message logged on leaving and the one
  // page 2 logs carry that id, from the same tab, so the viewer keeps them in the same session
  // as what the tab sent before, under the new id.
  await page.click('[data-action="set-session"]');
  await page.waitForURL('**/page-2');
  const chosen = await page.evaluate(() => sessionStorage.getItem('demo-session-id') ?? '');
  expect(chosen).toMatch(/^customer-/);
  const session = viewer.locator(`li.session-item[data-session="${sessionId}"]`);
  await session.locator('.session-name', { hasText: chosen }).waitFor();
  expect(await session.locator('.session-note').textContent()).toBe(
    `earlier ${sessionId.slice(0, 8)}`,
  );
  expect(await viewer.locator(`li.session-item[data-session="${chosen}"]`).count()).toBe(0);
  await session.click();
  await viewer.locator('.session-header .session-id', { hasText: chosen }).waitFor();
  expect(await viewer.locator('.session-earlier').textContent()).toContain(sessionId);
  for (const caption of ['Leaving page 1', 'Arrived on page 2']) {
    const message = timelineItem(viewer, 'message', caption);
    await message.waitFor();
    expect(await message.getAttribute('data-agent-session'), caption).toBe(agentSessionId);
    expect(await message.getAttribute('data-session'), caption).toBe(chosen);
    expect(await message.locator('.description').textContent()).toContain(chosen);
  }
  expect(await messages.log.getAttribute('data-session')).toBe(sessionId);

  // The page shows the id the app set in full, as the server received it.
  await click(page, 'app-fetch');
  expect(await page.locator('#activity li').first().textContent()).toContain(
    `the server received session ${chosen},`,
  );

  // Live: a new message shows up in the open viewer without a reload.
  expect(await viewer.locator('li.item', { hasText: 'Reviewed the order' }).count()).toBe(0);
  await click(page, 'log');
  await timelineItem(viewer, 'message', 'Reviewed the order').waitFor();

  const screenshot = process.env.LOUPE_SCREENSHOT;
  if (screenshot) {
    await openSession(viewer, sessionId);
    await viewer.screenshot({ path: screenshot });
  }
  await context.close();
});

it('follows the first session that arrives when opened before any traffic, until the reader chooses', async () => {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'loupe-e2e-'));
  const fresh = await startDemo({ port: 0, thirdPartyPort: 0, dataDirectory });
  const viewerContext = await browser.newContext();
  const appContext = await browser.newContext();
  try {
    const viewer = await viewerContext.newPage();
    viewer.setDefaultTimeout(15_000);
    await viewer.goto(fresh.viewerUrl);
    await viewer.locator('#live[data-state="live"]').waitFor();
    await viewer.locator('.placeholder', { hasText: 'Waiting for the first session' }).waitFor();

    // What arrives first has no session: a call to the third-party API.
    await fetch(fresh.thirdPartyOrigin + '/quote?via=node');
    await viewer.locator('.session-header', { hasText: 'Uncorrelated requests' }).waitFor();

    // Then the demo app is opened in another browser: the viewer moves to its session.
    const app = await appContext.newPage();
    await app.goto(fresh.demoUrl);
    const sessionId = await app.evaluate(
      () => /LoupeSessionId=([^;]+)/.exec(document.cookie)?.[1] ?? '',
    );
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    await viewer.locator('.session-header .session-id', { hasText: sessionId }).waitFor();
    await viewer.locator(`li.session-item.selected[data-session="${sessionId}"]`).waitFor();

    // Once the reader picked a session, a new one does not take the view away.
    await openSession(viewer, '');
    const other = await (await browser.newContext()).newPage();
    await other.goto(fresh.demoUrl);
    await viewer.locator('li.session-item').nth(2).waitFor();
    expect(await viewer.locator('.session-header h1').textContent()).toBe('Uncorrelated requests');
    await other.context().close();
  } finally {
    await viewerContext.close();
    await appContext.close();
    await fresh.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  }
});
