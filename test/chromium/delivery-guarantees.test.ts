import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import {
  type LogServer,
  expectExactlyOnce,
  isOf,
  messagesOf,
  startLogServer,
  until,
} from '../helpers/logServer';
import { type TestServer, startServer } from '../helpers/server';

// What delivery promises under faults real pages meet: each case once with Web Locks and, where
// the lock matters, once with the localStorage lease that stands in for them.

let browser: Browser;
let log: LogServer;
let otherSite: TestServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [browser, log, otherSite] = await Promise.all([
    launchChromium(),
    startLogServer(),
    startServer(),
  ]);
  const script = (attributes = '') =>
    `<!doctype html><script src="/dist/loupe-agent.min.js" ${attributes}></script>`;
  log.server.page('/app', script());
  log.server.page('/app-big', script('data-max-message-size="100000"'));
  otherSite.page('/elsewhere', '<!doctype html><title>another site</title>');
});
afterEach(async () => {
  log.answerWith(() => ({}));
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([log?.close(), otherSite?.close()]);
});

const withoutWebLocks = () => {
  delete (Navigator.prototype as any).locks;
};

/** A page of the app in `context`, or in a fresh one (its own storage); `locks: false` removes Web Locks. */
async function openApp(
  context?: BrowserContext,
  { path = '/app', locks = true }: { path?: string; locks?: boolean } = {},
): Promise<Page> {
  if (!context) {
    contexts.push((context = await browser.newContext()));
    if (!locks) await context.addInitScript(withoutWebLocks);
  }
  const page = await context.newPage();
  await page.goto(log.server.origin + path);
  return page;
}

/** Log `count` messages captioned `prefix-<from>`…; resolves once they are queued. */
const write = (page: Page, prefix: string, count: number, from = 1) =>
  page.evaluate(
    ([prefix, count, from]) => {
      for (let index = from; index < from + count; index++)
        (window as any).loupe.information('Delivery', prefix + '-' + index, '');
    },
    [prefix, count, from] as const,
  );
const flush = (page: Page) => page.evaluate(() => (window as any).loupe.flush());
const agentSessionId = (page: Page) =>
  page.evaluate(() => (window as any).loupe.diagnostics().agentSessionId as string);
const arrived = (prefix: string) => log.accepted.flatMap(messagesOf).filter(isOf(prefix));
/** Wait until the page has stored a chunk of its own (persisting runs on a short timer). */
const stored = (page: Page, id: string) =>
  page.waitForFunction(
    (id) => Object.keys(localStorage).some((key) => key.startsWith('LoupeQueue:' + id + ':')),
    id,
  );
/** Crash a page's renderer: no exit event runs. Page.crash gets no answer: wait for the event. */
async function crash(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const crashed = page.waitForEvent('crash');
  void cdp.send('Page.crash').catch(() => {});
  await crashed;
}

it("sends a crashed tab's messages once when two live tabs take its lock in turn", async () => {
  // The tab that takes the crashed tab's lock sends its messages and gives the lock back; the
  // other tab, waiting for it, is granted it at once. Both stay open.
  let down = true;
  log.answerWith((request) =>
    down && messagesOf(request).some(isOf('orphan')) ? { status: 503 } : {},
  );
  const crashed = await openApp();
  const id = await agentSessionId(crashed);
  await write(crashed, 'orphan', 80);
  await stored(crashed, id);
  await crash(crashed);
  down = false;
  const [first, second] = await Promise.all([
    openApp(crashed.context()),
    openApp(crashed.context()),
  ]);
  await until(() => arrived('orphan').length >= 80);
  await write(first, 'after', 1);
  await write(second, 'after', 1, 2);
  await Promise.all([flush(first), flush(second)]);
  await until(() => arrived('after').length >= 2);
  await Promise.all([flush(first), flush(second)]);
  expectExactlyOnce(arrived('orphan'), 'orphan', 80);
});

it('sends once what a page handed to a beacon as it left, though another tab then takes its lock', async () => {
  const leaving = await openApp();
  const staying = await openApp(leaving.context());
  const id = await agentSessionId(leaving);
  await write(leaving, 'beaconed', 30);
  // Stored: the other tab has seen it and waits for the leaving tab's lock.
  await stored(leaving, id);
  await staying.waitForFunction(
    (id) => Object.keys(localStorage).some((key) => key.startsWith('LoupeQueue:' + id + ':')),
    id,
  );
  await leaving.goto(otherSite.origin + '/elsewhere');
  await until(() => arrived('beaconed').length >= 30);
  await write(staying, 'later', 1);
  await flush(staying);
  await until(() => arrived('later').length >= 1);
  await flush(staying);
  expectExactlyOnce(arrived('beaconed'), 'beaconed', 30);
});

for (const locks of [true, false])
  it(`keeps a batch whose keepalive request failed just before pagehide, and the next page sends it (${locks ? 'Web Locks' : 'the lease'})`, async () => {
    const page = await openApp(undefined, { locks });
    let aborted = false;
    await page.route('**/loupe/log', async (route) => {
      aborted = true;
      await route.abort('connectionreset');
    });
    const prefix = locks ? 'kafail' : 'leasefail';
    await write(page, prefix, 5);
    void flush(page).catch(() => {});
    await until(() => aborted);
    await page.unroute('**/loupe/log');
    // The page saw the failure and leaves at once: the failed request was not handed over.
    await page.reload();
    await until(() => arrived(prefix).length >= 5);
    await flush(page);
    expectExactlyOnce(arrived(prefix), prefix, 5);
  });

it('keeps every origin-wide leftover within one storage budget, and the app can still write', async () => {
  let down = true;
  log.answerWith(() => (down ? { drop: true } : {}));
  const first = await openApp();
  const context = first.context();
  const padding = 'x'.repeat(1000);
  // Five tabs log about 0.85 MB each with the server down, and crash.
  for (let tab = 1; tab <= 5; tab++) {
    const page = tab == 1 ? first : await openApp(context);
    const id = await agentSessionId(page);
    await page.evaluate(
      ([tab, padding]) => {
        for (let index = 1; index <= 800; index++)
          (window as any).loupe.information('Delivery', 'left' + tab + '-' + index, padding);
      },
      [tab, padding] as const,
    );
    await page.waitForFunction(
      (id) =>
        Object.keys(localStorage)
          .filter((key) => key.startsWith('LoupeQueue:' + id + ':'))
          .map((key) => localStorage.getItem(key)!.split(',\n').length)
          .reduce((sum, count) => sum + count, 0) >= 800,
      id,
    );
    // The next log call reports what this tab dropped to make room; wait until it is stored.
    await write(page, 'tail' + tab, 1);
    await page.waitForFunction(
      (tab) =>
        Object.keys(localStorage).some((key) =>
          localStorage.getItem(key)!.includes('"tail' + tab + '-1"'),
        ),
      tab,
    );
    await crash(page);
  }
  const app = await openApp(context);
  const { total, appWrote } = await app.evaluate(() => {
    let total = 0;
    for (const key of Object.keys(localStorage))
      if (key.startsWith('LoupeQueue:')) total += key.length + localStorage.getItem(key)!.length;
    // The app's own storage still works: 3.5 million characters fit next to the agent's.
    localStorage.setItem('app-data', 'y'.repeat(3_500_000));
    const appWrote = localStorage.getItem('app-data')!.length;
    localStorage.removeItem('app-data');
    return { total, appWrote };
  });
  expect(total).toBeLessThanOrEqual(1_048_576 + 4096);
  expect(appWrote).toBe(3_500_000);
  down = false;
  // The newest survive; what made room for them was dropped and reported.
  await until(() => arrived('left5').length >= 800);
  await write(app, 'report', 1);
  await flush(app);
  await until(() => arrived('report').length >= 1);
  const all = log.accepted.flatMap(messagesOf);
  const dropped = all
    .filter((message) => message.caption === 'Messages dropped')
    .reduce((sum, message) => sum + parseInt(message.description, 10), 0);
  const delivered = [1, 2, 3, 4, 5].map((tab) => arrived('left' + tab).length);
  expect(dropped).toBeGreaterThan(0);
  expect(delivered[4]).toBe(800);
  const ids = all.map((message) => message.agentSessionId + '#' + message.sequence);
  expect(new Set(ids).size).toBe(ids.length);
});

it('sends at exit with the headers the server requires, which a beacon cannot carry', async () => {
  log.answerWith((request) => (request.headers['x-api-key'] === 'secret' ? {} : { status: 401 }));
  const page = await openApp();
  await page.evaluate(() =>
    (window as any).loupe.addHeader({ name: 'X-Api-Key', value: 'secret' }),
  );
  await write(page, 'header', 5);
  await page.goto(otherSite.origin + '/elsewhere');
  await until(() => arrived('header').length >= 5);
  expectExactlyOnce(arrived('header'), 'header', 5);
  for (const request of log.accepted.filter((request) => messagesOf(request).some(isOf('header'))))
    expect(request.headers['x-api-key']).toBe('secret');
});

it('sends a 70 KB message at exit, within a beacon, and the messages around it', async () => {
  const page = await openApp(undefined, { path: '/app-big' });
  await page.evaluate(() => {
    const loupe = (window as any).loupe;
    loupe.information('Delivery', 'small-1', '');
    loupe.information('Delivery', 'big-1', '', [], null, 'z'.repeat(70_000));
    loupe.information('Delivery', 'small-2', '');
  });
  await page.goto(otherSite.origin + '/elsewhere');
  await until(() => arrived('small').length >= 2 && arrived('big').length >= 1);
  expectExactlyOnce(arrived('small'), 'small', 2);
  expectExactlyOnce(arrived('big'), 'big', 1);
  for (const request of log.accepted)
    expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(65536);
});

it('lets a tab frozen past its lease send nothing another tab has sent meanwhile (the lease)', async () => {
  let frozen = false;
  log.answerWith((request) =>
    !frozen && messagesOf(request).some(isOf('frozen')) ? { status: 503 } : {},
  );
  const sleeper = await openApp(undefined, { locks: false });
  const id = await agentSessionId(sleeper);
  await write(sleeper, 'frozen', 10);
  await flush(sleeper).catch(() => {});
  await stored(sleeper, id);
  // Frozen: no script of the page runs, timers included (the debugger holds it paused; the
  // lifecycle freeze of CDP does not apply to a visible headless page).
  const cdp = await sleeper.context().newCDPSession(sleeper);
  await cdp.send('Debugger.enable');
  await cdp.send('Debugger.pause');
  frozen = true;
  const other = await openApp(sleeper.context());
  // What storage holds four minutes after the frozen tab last renewed its lease.
  await other.evaluate((id) => {
    const name = 'LoupeQueue:' + id;
    localStorage.setItem(
      name,
      localStorage.getItem(name)!.split(' ')[0] + ' ' + (Date.now() - 240_000),
    );
  }, id);
  const takerId = await agentSessionId(other);
  await until(() => arrived('frozen').length >= 10, 45_000);
  // The other tab sent them, while this one was frozen.
  const senders = log.accepted
    .filter((request) => messagesOf(request).some(isOf('frozen')))
    .map((request) => JSON.parse(request.body).session.currentAgentSessionId);
  expect(senders).toEqual([takerId]);
  await cdp.send('Debugger.resume');
  // The woken tab retries what it holds: it must find it sent.
  await flush(sleeper);
  await write(sleeper, 'woken', 1);
  await flush(sleeper);
  await until(() => arrived('woken').length >= 1, 45_000);
  expectExactlyOnce(arrived('frozen'), 'frozen', 10);
});

it('keeps the agent session id when the page uninstalls the agent and the tab reloads', async () => {
  const page = await openApp();
  const before = await agentSessionId(page);
  await page.evaluate(() => (window as any).loupe.uninstall());
  await page.reload();
  expect(await agentSessionId(page)).toBe(before);
});

it('resolves flush() during a retry wait only once the retry was sent', async () => {
  let refused = 0;
  log.answerWith((request) =>
    messagesOf(request).some(isOf('waited')) && !refused++ ? { status: 503 } : {},
  );
  const page = await openApp();
  await write(page, 'waited', 3);
  await flush(page);
  expect(refused).toBe(1);
  expect(arrived('waited')).toEqual([]);
  await write(page, 'waited', 2, 4);
  await flush(page);
  // No polling: flush() resolved after the retry's answer.
  expectExactlyOnce(arrived('waited'), 'waited', 5);
});

it('names a cross-origin log server that answers without CORS headers, once, and sends once it does', async () => {
  let allowed = false;
  const cors = (origin: string) => ({
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Headers': 'loupe-agent-sessionId',
  });
  const remote = await startLogServer((request, response) => {
    if (request.method !== 'OPTIONS') return;
    response.writeHead(204, allowed ? cors(log.server.origin) : {});
    response.end();
    return true;
  });
  try {
    remote.answerWith(() => (allowed ? { headers: cors(log.server.origin) } : {}));
    log.server.page(
      '/app-remote',
      `<!doctype html><script src="/dist/loupe-agent.min.js" data-debug data-log-server="${remote.server.origin}"></script>`,
    );
    contexts.push(await browser.newContext());
    const page = await contexts.at(-1)!.newPage();
    const errors: string[] = [];
    const debug: string[] = [];
    page.on('console', (message) => {
      const text = message.text();
      if (!text.startsWith('[loupe-agent]')) return;
      if (message.type() === 'error') errors.push(text);
      if (message.type() === 'info') debug.push(text);
    });
    await page.goto(log.server.origin + '/app-remote');
    await write(page, 'remote', 3);
    await flush(page);
    await write(page, 'remote', 2, 4);
    await flush(page);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Log requests to ' + remote.server.origin + ' fail');
    expect(errors[0]).toContain('Access-Control-Allow-Origin: ' + log.server.origin);
    expect(errors[0]).toContain('Access-Control-Allow-Headers: loupe-agent-sessionId');
    expect(debug.some((line) => line.includes('failed to send'))).toBe(true);
    expect(debug.some((line) => /\bsent \d+ messages: network error/.test(line))).toBe(false);
    allowed = true;
    await flush(page);
    await until(() => remote.accepted.flatMap(messagesOf).filter(isOf('remote')).length >= 5);
    expectExactlyOnce(remote.accepted.flatMap(messagesOf), 'remote', 5);
    expect(errors).toHaveLength(1);
  } finally {
    await remote.close();
  }
});
