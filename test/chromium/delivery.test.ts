import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { type Answer, messagesOf, startLogServer } from '../helpers/logServer';
import { type ServerRequest, type TestServer, startServer } from '../helpers/server';

let browser: Browser;
let server: TestServer;
let otherSite: TestServer;
let answer: (request: ServerRequest) => Answer = () => ({});
// Log requests the server accepted (2xx), in the order it read them.
let accepted: ServerRequest[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const [chromium, log, other] = await Promise.all([
    launchChromium(),
    startLogServer(),
    startServer(),
  ]);
  [browser, server, otherSite, accepted] = [chromium, log.server, other, log.accepted];
  log.answerWith((request) => answer(request));
  server.page('/app', '<!doctype html><script src="/dist/loupe-agent.min.js"></script>');
  server.page(
    '/app-big',
    '<!doctype html><script src="/dist/loupe-agent.min.js" data-max-message-size="100000"></script>',
  );
  otherSite.page('/elsewhere', '<!doctype html><title>another site</title>');
});
afterEach(async () => {
  answer = () => ({});
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.close(), otherSite?.close()]);
});

/** A page of the app in a fresh browser context (its own localStorage), or in `context`. */
async function openApp(context?: BrowserContext, setup?: () => void, path = '/app'): Promise<Page> {
  if (!context) contexts.push((context = await browser.newContext()));
  const page = await context.newPage();
  if (setup) await page.addInitScript(setup);
  await page.goto(server.origin + path);
  return page;
}

/** Log `count` messages captioned `prefix-1`, `prefix-2`…; resolves once they are queued. */
const log = (page: Page, prefix: string, count: number, from = 1) =>
  page.evaluate(
    ([prefix, count, from]) => {
      for (let index = from; index < from + count; index++)
        (window as any).loupe.information('Delivery', prefix + '-' + index, '');
    },
    [prefix, count, from] as const,
  );
const flush = (page: Page) => page.evaluate(() => (window as any).loupe.flush());

const isOf = (prefix: string) => (message: any) => message.caption.startsWith(prefix + '-');
/** The accepted requests that carried messages of `prefix`. */
const requestsOf = (prefix: string) =>
  accepted.filter((request) => messagesOf(request).some(isOf(prefix)));
const arrived = (prefix: string) => accepted.flatMap(messagesOf).filter(isOf(prefix));

/** Poll a condition on what the server received; fail after `timeout` ms. */
async function until(condition: () => boolean, timeout = 20_000) {
  const end = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting for the log server');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Every message of `prefix` (`prefix-1` to `prefix-count`) reached the server exactly once, with
 * no (agentSessionId, sequence) twice, and, unless `inOrder` is false, each agent session's
 * messages in sequence order.
 */
function expectExactlyOnce(prefix: string, count: number, inOrder = true) {
  const messages = arrived(prefix);
  const captions = messages.map((message) => message.caption).sort();
  const expected = Array.from({ length: count }, (_, index) => prefix + '-' + (index + 1)).sort();
  expect(captions).toEqual(expected);
  const ids = messages.map((message) => message.agentSessionId + '#' + message.sequence);
  expect(new Set(ids).size).toBe(ids.length);
  const lastSequence = new Map<string, number>();
  for (const message of inOrder ? messages : []) {
    expect(message.sequence).toBeGreaterThan(lastSequence.get(message.agentSessionId) ?? 0);
    lastSequence.set(message.agentSessionId, message.sequence);
  }
}

it('delivers everything exactly once and in order when the server answers 500 for a while', async () => {
  let failures = 3;
  answer = () => ({ status: failures-- > 0 ? 500 : 204 });
  const page = await openApp();
  await log(page, 'retry', 10);
  await flush(page);
  await log(page, 'retry', 10, 11);
  await until(() => arrived('retry').length >= 20);
  await flush(page);
  expectExactlyOnce('retry', 20);
  expect(failures).toBeLessThan(0);
});

it('sends nothing sooner than a 429 Retry-After asks, even when flushed', async () => {
  const refused: ServerRequest[] = [];
  answer = (request) => {
    if (refused.length || !messagesOf(request).some(isOf('limited'))) return {};
    refused.push(request);
    return { status: 429, headers: { 'Retry-After': '2' } };
  };
  const page = await openApp();
  await log(page, 'limited', 5);
  await flush(page);
  expect(refused).toHaveLength(1);
  await log(page, 'limited', 5, 6);
  await flush(page);
  await until(() => arrived('limited').length >= 10);
  const [next] = requestsOf('limited');
  expect(next!.at - refused[0]!.at).toBeGreaterThanOrEqual(2000);
  expectExactlyOnce('limited', 10);
});

it('delivers everything after the network is cut and restored', async () => {
  const page = await openApp();
  let aborted = 0;
  await page.route('**/loupe/log', (route) => {
    aborted++;
    return route.abort();
  });
  await log(page, 'cut', 5);
  await flush(page);
  await log(page, 'cut', 5, 6);
  await until(() => aborted >= 2);
  expect(arrived('cut')).toEqual([]);
  await page.unroute('**/loupe/log');
  await until(() => arrived('cut').length >= 10);
  expectExactlyOnce('cut', 10);
});

it('waits while the browser is offline and sends when it is back online', async () => {
  const page = await openApp();
  await page.context().setOffline(true);
  await log(page, 'offline', 3);
  await flush(page);
  await page.context().setOffline(false);
  await until(() => arrived('offline').length >= 3);
  expectExactlyOnce('offline', 3);
});

it('sends at exit, with them, the headers the server requires, which a beacon cannot carry', async () => {
  answer = (request) => (request.headers['x-api-key'] === 'secret' ? {} : { status: 401 });
  const page = await openApp();
  await page.evaluate(() =>
    (window as any).loupe.addHeader({ name: 'X-Api-Key', value: 'secret' }),
  );
  await log(page, 'keyed', 5);
  await page.goto(otherSite.origin + '/elsewhere');
  await until(() => arrived('keyed').length >= 5);
  expectExactlyOnce('keyed', 5);
  for (const request of requestsOf('keyed')) expect(request.headers['x-api-key']).toBe('secret');
});

it('lets what fits go out at exit past a batch that does not, and keeps that one for the next page', async () => {
  // The first big message's request is answered late: it is still in flight, with keepalive, as
  // the page leaves, and holds most of the page's 64 KiB for requests that outlive it.
  answer = (request) =>
    messagesOf(request).some((message) => message.caption == 'exit-2') ? { delay: 3000 } : {};
  const page = await openApp();
  // Each big message nearly fills a batch of its own.
  const big = 'z'.repeat(61_000);
  await page.evaluate((big) => {
    const loupe = (window as any).loupe;
    loupe.information('Delivery', 'exit-1', '');
    loupe.information('Delivery', 'exit-2', '', null, null, big);
    void loupe.flush();
  }, big);
  await until(() => arrived('exit').length >= 2);
  await page.evaluate((big) => {
    const loupe = (window as any).loupe;
    loupe.information('Delivery', 'exit-3', '', null, null, big);
    loupe.information('Delivery', 'exit-4', '');
  }, big);
  await page.goto(otherSite.origin + '/elsewhere');
  // The second big one does not fit what is left: the small last one goes all the same.
  await until(() => arrived('exit').some((message) => message.caption == 'exit-4'));
  expect(arrived('exit').map((message) => message.caption)).not.toContain('exit-3');
  // What did not fit stays stored, and the app's next page sends it.
  await page.goto(server.origin + '/app');
  await until(() => arrived('exit').length >= 4);
  await flush(page);
  // Out of order, as beacons at exit may arrive in any order anyway.
  expectExactlyOnce('exit', 4, false);
  for (const request of accepted)
    expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(65536);
});

it('keeps every message within what a beacon carries, whatever maxMessageSize asks', async () => {
  // The page asks for 100,000 bytes.
  const page = await openApp(undefined, undefined, '/app-big');
  await page.evaluate(() =>
    (window as any).loupe.information('Delivery', 'capped-1', '', null, null, 'z'.repeat(70_000)),
  );
  await flush(page);
  await until(() => arrived('capped').length >= 1);
  const [message] = arrived('capped');
  expect(JSON.stringify(message).length).toBeLessThanOrEqual(61440);
  expect(message.details).toContain('…[truncated]');
});

/** Every request carrying `prefix` messages was a beacon. */
function expectBeacons(prefix: string) {
  const requests = requestsOf(prefix);
  expect(requests.length).toBeGreaterThan(0);
  for (const request of requests) {
    expect(request.headers['sec-fetch-mode']).toBe('no-cors');
    expect(request.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(65536);
  }
}

it('sends by beacon what was logged right before navigating to another site', async () => {
  const page = await openApp();
  await log(page, 'navigate', 5);
  await page.goto(otherSite.origin + '/elsewhere');
  await until(() => arrived('navigate').length >= 5);
  expectExactlyOnce('navigate', 5);
  expectBeacons('navigate');
});

it('sends by beacon what was logged right before the tab closed', async () => {
  const page = await openApp();
  await log(page, 'close', 5);
  await page.close();
  const asked = await openApp();
  await log(asked, 'unload', 5);
  await asked.close({ runBeforeUnload: true });
  await until(() => arrived('close').length >= 5 && arrived('unload').length >= 5);
  expectExactlyOnce('close', 5);
  expectExactlyOnce('unload', 5);
  expectBeacons('close');
  expectBeacons('unload');
});

it('keeps what it logged while the server was down for the next page, which sends it once', async () => {
  let down = true;
  answer = () => (down ? { drop: true } : {});
  const page = await openApp();
  await log(page, 'down', 300);
  await flush(page);
  // Leaving while the server is down: a beacon would be lost, so nothing may be handed to one.
  await page.goto(otherSite.origin + '/elsewhere');
  await page.goto(server.origin + '/app');
  down = false;
  await until(() => arrived('down').length >= 300);
  await flush(page);
  expectExactlyOnce('down', 300);
});

it('neither loses nor repeats messages when the page reloads in the middle of a flush', async () => {
  let delayed = 0;
  answer = (request) =>
    messagesOf(request).some(isOf('reload')) && !delayed++ ? { delay: 3000 } : {};
  const page = await openApp();
  await log(page, 'reload', 5);
  await page.evaluate(() => void (window as any).loupe.flush());
  await until(() => delayed > 0);
  await log(page, 'reload', 3, 6);
  await page.reload();
  await log(page, 'reload', 2, 9);
  await flush(page);
  await until(() => arrived('reload').length >= 10);
  // A page that sent the first batch again would have done so before its own flush resolved.
  await flush(page);
  expectExactlyOnce('reload', 10);
});

for (const locks of [true, false])
  it(`keeps a batch whose request failed just before the page left, and the next page sends it (${locks ? 'Web Locks' : 'the lease'})`, async () => {
    const prefix = locks ? 'failed' : 'leasefailed';
    const page = await openApp(
      undefined,
      locks ? undefined : () => delete (Navigator.prototype as any).locks,
    );
    let aborted = false;
    await page.route('**/loupe/log', async (route) => {
      aborted = true;
      await route.abort('connectionreset');
    });
    await log(page, prefix, 5);
    void flush(page).catch(() => {});
    await until(() => aborted);
    await page.unroute('**/loupe/log');
    // The page saw the request fail and leaves at once: that request was not handed over.
    await page.reload();
    await until(() => arrived(prefix).length >= 5);
    await flush(page);
    expectExactlyOnce(prefix, 5);
  });

const agentSessionId = (page: Page) =>
  page.evaluate(() => (window as any).loupe.diagnostics().agentSessionId as string);
/** Wait until some page of the origin holds the lock `name`, waits for it, or neither. */
async function lockState(page: Page, name: string, state: 'held' | 'pending' | 'none') {
  const end = Date.now() + 20_000;
  for (;;) {
    const { held = [], pending = [] } = await page.evaluate(() => navigator.locks.query());
    const is = (locks: LockInfo[]) => locks.some((lock) => lock.name == name);
    if (state == 'none' ? !is(held) && !is(pending) : is(state == 'held' ? held : pending)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for lock ${name} to be ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A page of the app that, while switched on, keeps localStorage busy with large writes. Other
 * pages learn of them on the same path as of the agent's own writes, so what one tab removes
 * reaches the others late, while a lock it gives up reaches them at once.
 */
async function busyStorage(context: BrowserContext) {
  const page = await openApp(context);
  return (on: boolean) =>
    page.evaluate((on) => {
      clearInterval((window as any).writing);
      if (on)
        (window as any).writing = setInterval(() =>
          localStorage.setItem('app-state', String(Math.random()).repeat(20_000)),
        );
    }, on);
}

it('sends once what a page handed to beacons as it left, though a tab left open then takes its lock', async () => {
  // The staying tab is granted the leaving tab's lock as it goes; its localStorage may not show
  // yet that the leaving tab removed what it handed over. Several rounds: the race is not won
  // every time.
  const context = await browser.newContext();
  contexts.push(context);
  const staying = await openApp(context);
  const busy = await busyStorage(context);
  for (let round = 1; round <= 4; round++) {
    const prefix = 'beaconed' + round;
    const leaving = await openApp(context);
    const lock = 'LoupeQueue:' + (await agentSessionId(leaving));
    await log(leaving, prefix, 30);
    // Stored: the staying tab saw it, and waits for the leaving tab's lock.
    await lockState(staying, lock, 'pending');
    await busy(true);
    await leaving.goto(otherSite.origin + '/elsewhere');
    await until(() => arrived(prefix).length >= 30);
    await leaving.close();
    // The staying tab took the lock, sent whatever it found, and gave the lock back.
    await lockState(staying, lock, 'none');
    await busy(false);
    await flush(staying);
    expectExactlyOnce(prefix, 30);
  }
});

it('sends once what a closed tab left, though the two tabs left open take its lock in turn', async () => {
  // One staying tab sends what the closed tab stored and gives its lock back; the other takes it
  // at once, while its localStorage may still show what the first removed. Several rounds: the
  // race is not won every time.
  const context = await browser.newContext();
  contexts.push(context);
  const staying = [await openApp(context), await openApp(context)];
  const busy = await busyStorage(context);
  for (let round = 1; round <= 4; round++) {
    const prefix = 'handed' + round;
    // The closing tab's retry comes long after the test: it cannot be in flight as the tab closes.
    let open = true;
    answer = (request) =>
      open && messagesOf(request).some(isOf(prefix))
        ? { status: 503, headers: { 'Retry-After': '600' } }
        : {};
    const closing = await openApp(context);
    const lock = 'LoupeQueue:' + (await agentSessionId(closing));
    await log(closing, prefix, 30);
    await untilStored(closing);
    // Both staying tabs saw the stored batch, and wait for the lock.
    await untilWaiting(closing, lock, 2);
    open = false;
    await busy(true);
    await closing.close();
    await until(() => arrived(prefix).length >= 30);
    await lockState(staying[0]!, lock, 'none');
    await busy(false);
    await Promise.all(staying.map(flush));
    expectExactlyOnce(prefix, 30);
  }
});

/** Wait until `count` pages of the origin wait for the lock `name`. */
const untilWaiting = (page: Page, name: string, count: number) =>
  page.waitForFunction(
    async ([name, count]) =>
      (await navigator.locks.query()).pending!.filter((lock) => lock.name == name).length == count,
    [name, count] as const,
    { polling: 50 },
  );

it('delivers every message once when two tabs log at once and one closes', async () => {
  const first = await openApp();
  const second = await openApp(first.context());
  await Promise.all([log(first, 'tab1', 50), log(second, 'tab2', 50)]);
  await first.close();
  await flush(second);
  await until(() => arrived('tab1').length >= 50 && arrived('tab2').length >= 50);
  expectExactlyOnce('tab1', 50);
  expectExactlyOnce('tab2', 50);
});

/** Wait until the page has stored a batch in localStorage (its first part). */
const untilStored = (page: Page, timeout?: number) =>
  page.waitForFunction(
    () => Object.keys(localStorage).some((key) => /^LoupeQueue:.+:\d+$/.test(key)),
    undefined,
    { timeout },
  );

it('has another tab send what a closing tab could neither send nor hand to a beacon', async () => {
  let firstOpen = true;
  answer = (request) =>
    firstOpen && messagesOf(request).some(isOf('left')) ? { status: 503 } : {};
  const first = await openApp(undefined, () => {
    navigator.sendBeacon = () => false;
  });
  const second = await openApp(first.context());
  await log(first, 'left', 20);
  await log(second, 'stayed', 20);
  await flush(first);
  await flush(second);
  // Wait until the first tab has stored its messages (it retries them meanwhile).
  await untilStored(first);
  firstOpen = false;
  await first.close();
  await until(() => arrived('left').length >= 20);
  await flush(second);
  expectExactlyOnce('left', 20);
  expectExactlyOnce('stayed', 20);
  expect(arrived('left').every((message) => message.agentSessionId !== '')).toBe(true);
});

/** The renderer dies: no exit event runs. Page.crash gets no answer, so wait for the event. */
async function crashPage(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const crash = page.waitForEvent('crash');
  void cdp.send('Page.crash').catch(() => {});
  await crash;
}

it('sends what a crashed tab stored from the next page that opens', async () => {
  let crashed = false;
  answer = (request) =>
    !crashed && messagesOf(request).some(isOf('crash')) ? { status: 503 } : {};
  const page = await openApp();
  await log(page, 'crash', 5);
  await flush(page);
  await untilStored(page);
  await crashPage(page);
  crashed = true;
  const next = await openApp(page.context());
  await until(() => arrived('crash').length >= 5);
  await flush(next);
  expectExactlyOnce('crash', 5);
});

for (const [storage, setup] of [
  [
    'full',
    () => {
      Storage.prototype.setItem = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    },
  ],
  [
    'blocked',
    () => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      });
    },
  ],
] as const) {
  it(`delivers while the page lives, and at exit, when localStorage is ${storage}`, async () => {
    const page = await openApp(undefined, setup);
    await log(page, storage, 5);
    await flush(page);
    await until(() => arrived(storage).length >= 5);
    await log(page, storage, 3, 6);
    await page.close();
    await until(() => arrived(storage).length >= 8);
    expectExactlyOnce(storage, 8);
  });
}

it('sends a burst of 1,000 messages in at most 5 requests of at most 64 KiB', async () => {
  const page = await openApp();
  await log(page, 'burst', 1000);
  await flush(page);
  await until(() => arrived('burst').length >= 1000);
  expectExactlyOnce('burst', 1000);
  const requests = requestsOf('burst');
  expect(requests.length).toBeLessThanOrEqual(5);
  for (const request of requests)
    expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(65536);
});

it('keeps for the next page a batch in flight at exit in an engine without keepalive', async () => {
  // Firefox before 133 cancels a keepalive request as its page leaves, and has no
  // Request.keepalive: here Chromium without it.
  const page = await openApp(undefined, () => delete (Request.prototype as any).keepalive);
  let first = true;
  answer = () => (first ? ((first = false), { delay: 3000 }) : {});
  await log(page, 'nokeepalive', 5);
  void flush(page).catch(() => {});
  await until(() => requestsOf('nokeepalive').length == 1);
  // The page leaves while its request waits for the answer: the batch was not handed over, so it
  // is stored (though sent at once, before any timer stored it) and the next page sends it.
  await page.goto(otherSite.origin + '/elsewhere');
  await page.goto(server.origin + '/app');
  await until(() => requestsOf('nokeepalive').length == 2);
  await flush(page);
  expect(requestsOf('nokeepalive').map((request) => messagesOf(request).length)).toEqual([5, 5]);
});

it('keeps for the next page a retry in flight at exit, though it was never stored before', async () => {
  const page = await openApp();
  // The first request is answered 500 only after the storage timer ran (which leaves a batch in
  // flight alone), its retry at once; the second retry (with keepalive, which Chromium does not
  // cancel as the page leaves) is still waiting for its answer, a 503, as the page leaves.
  let answered = 0;
  answer = () =>
    ++answered == 1
      ? { delay: 300, status: 500 }
      : answered == 2
        ? { status: 500 }
        : answered == 3
          ? { delay: 3000, status: 503 }
          : {};
  await log(page, 'retryexit', 5);
  void flush(page).catch(() => {});
  await until(() => answered == 3);
  await page.goto(otherSite.origin + '/elsewhere');
  await page.goto(server.origin + '/app');
  await until(() => arrived('retryexit').length >= 5);
  await flush(page);
  expectExactlyOnce('retryexit', 5);
});

for (const locks of [true, false])
  it(`sends once the messages of a tab frozen for minutes, whose session another tab took over meanwhile (${locks ? 'Web Locks' : 'the lease'})`, async () => {
    const prefix = locks ? 'frozenlocks' : 'frozenlease';
    const setup = locks ? undefined : () => delete (Navigator.prototype as any).locks;
    let refused = 0;
    let refusedAt = 0;
    let up = false;
    answer = (request) =>
      !up && messagesOf(request).some(isOf(prefix))
        ? (refused++, (refusedAt = Date.now()), { status: 503 })
        : {};
    const frozen = await openApp(undefined, setup);
    const context = frozen.context();
    const id = await agentSessionId(frozen);
    await log(frozen, prefix, 5);
    await frozen.waitForFunction(
      (id) => Object.keys(localStorage).some((key) => key.startsWith('LoupeQueue:' + id + ':')),
      id,
    );
    await until(() => refused > 0);
    // The tab stops running (its timers too) with a retry pending and its messages stored, as a
    // frozen or sleeping tab does. Headless Chromium does not freeze a page that is not hidden,
    // so the debugger stops it.
    const cdp = await context.newCDPSession(frozen);
    await cdp.send('Debugger.enable');
    await cdp.send('Debugger.pause');
    // The retry the last refusal set (at most 500 ms × 2^refusals) is overdue as the tab wakes.
    const overdue = refusedAt + 500 * 2 ** refused + 200;
    up = true;
    // Minutes pass: its lease, last renewed then, is stale for the next tab that opens. A Web
    // Lock stays held by a frozen page, whatever the time.
    const other = await context.newPage();
    if (setup) await other.addInitScript(setup);
    await other.addInitScript(
      ([key, value]) => localStorage.getItem(key) && localStorage.setItem(key, value),
      ['LoupeQueue:' + id, id + ' ' + (Date.now() - 4 * 60_000)] as const,
    );
    await other.goto(server.origin + '/app');
    if (!locks) await until(() => arrived(prefix).length >= 5);
    // The freeze lasts until then: it stands for the minutes.
    await new Promise((resolve) => setTimeout(resolve, overdue - Date.now()));
    await cdp.send('Debugger.resume');
    // Timers that came due while frozen run first: the retry, then this one.
    await frozen.evaluate(() => new Promise((resolve) => setTimeout(resolve)));
    await log(frozen, prefix + 'after', 2);
    void flush(frozen).catch(() => {});
    await until(() => arrived(prefix).length >= 5 && arrived(prefix + 'after').length >= 2);
    await flush(frozen);
    await flush(other);
    expectExactlyOnce(prefix, 5);
    expectExactlyOnce(prefix + 'after', 2);
  });

it('stores a batch sent at once whose slow answer was a failure, so that a crash then loses nothing', async () => {
  let crashed = false;
  // The answer comes after the storage timer ran, which leaves the batch in flight alone.
  answer = (request) =>
    !crashed && messagesOf(request).some(isOf('slowfail')) ? { delay: 300, status: 503 } : {};
  const page = await openApp();
  await log(page, 'slowfail', 5);
  void flush(page).catch(() => {});
  await untilStored(page, 10_000);
  await crashPage(page);
  crashed = true;
  const next = await openApp(page.context());
  await until(() => arrived('slowfail').length >= 5);
  await flush(next);
  expectExactlyOnce('slowfail', 5);
});

it('keeps what crashed tabs left within the storage bounds of the page that takes it over, and the app can still write', async () => {
  let down = true;
  answer = () => (down ? { status: 503 } : {});
  const context = await browser.newContext();
  contexts.push(context);
  /** The queue's share of localStorage, in characters. */
  const stored = () =>
    Object.keys(localStorage)
      .filter((key) => /^LoupeQueue:.+:\d+(:\d+)?$/.test(key))
      .reduce((sum, key) => sum + localStorage.getItem(key)!.length, 0);
  // Five tabs open at once each log about 0.9 MB (within the default maxStoredBytes, 1 MiB)
  // while the server is down, and crash once it is stored: 4.5 MB are left in localStorage.
  const tabs = await Promise.all([1, 2, 3, 4, 5].map(() => openApp(context)));
  for (const [index, page] of tabs.entries()) {
    await page.evaluate((tab) => {
      for (let index = 1; index <= 800; index++)
        (window as any).loupe.information('Pile', `pile${tab}-${index}`, 'x'.repeat(1000));
    }, index + 1);
    await page.waitForFunction(
      (last) => Object.values(localStorage).some((value) => value.includes(last)),
      `"pile${index + 1}-800"`,
    );
  }
  for (const page of tabs) await crashPage(page);
  // The next page takes over what they left, and keeps it within its bounds, the oldest dropped.
  const next = await openApp(context);
  expect(await next.evaluate(stored)).toBeGreaterThan(4_000_000);
  await next.waitForFunction(`(${stored})() <= ${1_048_576 + 61_440}`, undefined, {
    timeout: 20_000,
  });
  // The app's own storage works: a megabyte of its own fits beside the queue.
  expect(
    await next.evaluate(() => {
      try {
        localStorage.setItem('app', 'y'.repeat(1_000_000));
        return true;
      } catch {
        return false;
      }
    }),
  ).toBe(true);
  down = false;
  const messages = () => accepted.flatMap(messagesOf);
  const pile = () => messages().filter((message) => message.caption.startsWith('pile'));
  const dropped = () =>
    messages()
      .filter((message) => message.caption == 'Messages dropped')
      .reduce((sum, message) => sum + Number(/^(\d+) log/.exec(message.description)![1]), 0);
  // Every message left arrives, and a warning says how many were dropped (told at the next log
  // call and at exit).
  await log(next, 'afterpile', 1);
  await next.waitForFunction(`(${stored})() == 0`, undefined, { timeout: 20_000 });
  await next.close();
  await until(() => pile().length + dropped() >= 4000);
  expect(pile().length + dropped()).toBe(4000);
  expect(pile().length).toBeGreaterThan(500);
  // Each once, and the newest: the oldest were dropped first.
  const captions = pile().map((message) => message.caption);
  expect(new Set(captions).size).toBe(captions.length);
  const order = (caption: string) => caption.slice(4).split('-').map(Number) as [number, number];
  const oldestKept = captions.map(order).sort((a, b) => a[0] - b[0] || a[1] - b[1])[0]!;
  expect(captions.length).toBe((5 - oldestKept[0]) * 800 + (800 - oldestKept[1] + 1));
});
