import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { type SentRequest, createHarness, createMemoryStorage } from './delivery-harness';

// Pages without Web Locks (the harness has none): the localStorage lease stands in for them.

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-21T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const range = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, index) => prefix + (index + 1));
const chunkKeys = (storage: ReturnType<typeof createMemoryStorage>) =>
  [...storage.map.keys()].filter((key) => /^LoupeQueue:.+:\d+$/.test(key));
/** Every message the server accepted, by agent session and sequence: each must come once. */
const deliveries = (sent: SentRequest[]) =>
  sent
    .filter((request) => request.status < 300)
    .flatMap((request) => request.messages.map((m) => m.agentSessionId + '#' + m.sequence));

it('writes storage in batches on a short timer, not on every log call', async () => {
  const storage = createMemoryStorage();
  const write = vi.spyOn(storage, 'setItem');
  const page = createHarness({}, { storage, respond: () => 503 });
  page.delivery.start();
  await vi.advanceTimersByTimeAsync(200);
  write.mockClear();
  for (const caption of range(300, 'm')) page.log(caption);
  expect(write).not.toHaveBeenCalled();
  await vi.advanceTimersByTimeAsync(100);
  expect(write).toHaveBeenCalledTimes(1);
  expect(chunkKeys(storage)).toHaveLength(1);
});

it('leaves what a crashed page did not send for the next page of the tab, which sends it first', async () => {
  const storage = createMemoryStorage();
  const sent: SentRequest[] = [];
  const crashed = createHarness({}, { storage, sent, id: 'tab', respond: () => 503 });
  crashed.delivery.start();
  for (const caption of range(3, 'before')) crashed.log(caption);
  await vi.advanceTimersByTimeAsync(1000);
  vi.clearAllTimers(); // The page dies: no exit event, no more timers.
  expect(chunkKeys(storage)).toHaveLength(1);

  const next = createHarness({}, { storage, sent, id: 'tab' });
  next.delivery.start();
  next.log('after');
  await next.delivery.flush();
  expect(next.delivered()).toEqual(['before1', 'before2', 'before3', 'after']);
  expect(chunkKeys(storage)).toEqual([]);
});

it('reads back only the chunk it is about to send', async () => {
  const storage = createMemoryStorage();
  const old = createHarness({ batchSize: 10 }, { storage, id: 'tab', respond: () => 503 });
  old.delivery.start();
  for (const caption of range(50, 'old')) old.log(caption);
  await vi.advanceTimersByTimeAsync(1000);
  old.delivery.stop();
  expect(chunkKeys(storage)).toHaveLength(5);

  const read = vi.spyOn(storage, 'getItem');
  let answered = 0;
  const next = createHarness({}, { storage, id: 'tab', respond: () => (answered++ ? 503 : 204) });
  next.delivery.start();
  await vi.advanceTimersByTimeAsync(200);
  const chunkReads = read.mock.calls.filter(([key]) => /:\d+$/.test(key));
  // The first chunk was read and sent, the second read and refused; three were not read at all.
  expect(chunkReads).toHaveLength(2);
  expect(next.delivered()).toEqual(range(10, 'old'));
});

it('keeps delivering from memory when storage is full', async () => {
  const storage = createMemoryStorage();
  storage.full = true;
  const page = createHarness({}, { storage });
  page.delivery.start();
  for (const caption of range(5, 'm')) page.log(caption);
  await vi.advanceTimersByTimeAsync(150);
  await page.delivery.flush();
  expect(page.delivered()).toEqual(range(5, 'm'));
});

it('at page exit hands the queue to beacons within 64 KiB and keeps the rest for the next page', async () => {
  const storage = createMemoryStorage();
  const sent: SentRequest[] = [];
  const page = createHarness({}, { storage, sent, id: 'tab', respond: () => 503 });
  page.delivery.start();
  await vi.advanceTimersByTimeAsync(200);
  for (const caption of range(8, 'm')) page.log(caption, 20_000);
  page.document.visibilityState = 'hidden';
  page.document.dispatchEvent(new Event('visibilitychange'));
  page.scope.dispatchEvent(new Event('pagehide'));
  page.scope.dispatchEvent(new Event('pagehide'));
  page.delivery.stop();
  const beacons = sent.filter((request) => request.kind == 'beacon');
  expect(beacons.length).toBeGreaterThan(0);
  expect(beacons.reduce((sum, request) => sum + request.bytes, 0)).toBeLessThanOrEqual(65536);
  expect(chunkKeys(storage).length).toBeGreaterThan(0);

  const next = createHarness({}, { storage, sent, id: 'tab' });
  next.delivery.start();
  await vi.advanceTimersByTimeAsync(200);
  await next.delivery.flush();
  const arrived = deliveries(sent);
  expect(arrived).toHaveLength(8);
  expect(new Set(arrived).size).toBe(8);
  expect(sent.flatMap((r) => (r.status < 300 ? r.messages.map((m) => m.caption) : []))).toEqual(
    range(8, 'm'),
  );
});

it('counts beacon bytes in UTF-8, not characters, when it hands the queue over at exit', async () => {
  const storage = createMemoryStorage();
  const sent: SentRequest[] = [];
  const page = createHarness({}, { storage, sent, id: 'tab' });
  page.delivery.start();
  await vi.advanceTimersByTimeAsync(200);
  // 6,000 characters but 18,000 bytes each: three fill a batch, and two batches would fit 64 KiB
  // if characters were counted.
  for (const caption of range(6, '€'.repeat(6000))) page.log(caption);
  page.scope.dispatchEvent(new Event('pagehide'));
  page.delivery.stop();
  const beacons = sent.filter((request) => request.kind == 'beacon');
  expect(beacons).toHaveLength(1);
  expect(beacons[0]!.bytes).toBeGreaterThan(50_000);
  expect(beacons[0]!.bytes).toBeLessThanOrEqual(65536);

  const next = createHarness({}, { storage, sent, id: 'tab' });
  next.delivery.start();
  await vi.advanceTimersByTimeAsync(200);
  await next.delivery.flush();
  expect(new Set(deliveries(sent)).size).toBe(6);
  expect(deliveries(sent)).toHaveLength(6);
});

it('when the beacon is refused, keeps the queue in storage for the next page', async () => {
  const storage = createMemoryStorage();
  const sent: SentRequest[] = [];
  const page = createHarness({}, { storage, sent, id: 'tab', beaconAccepts: false });
  page.delivery.start();
  await vi.advanceTimersByTimeAsync(200);
  page.log('late');
  page.scope.dispatchEvent(new Event('pagehide'));
  page.delivery.stop();
  expect(sent).toEqual([]);
  const next = createHarness({}, { storage, sent, id: 'tab' });
  next.delivery.start();
  await vi.advanceTimersByTimeAsync(200);
  expect(next.delivered()).toEqual(['late']);
});

it('sends by beacon what is logged after its own pagehide listener ran', async () => {
  const page = createHarness({}, { storage: createMemoryStorage() });
  page.delivery.start();
  page.scope.dispatchEvent(new Event('pagehide'));
  page.log('from a later pagehide listener');
  expect(page.sent.map((request) => request.kind)).toEqual(['beacon']);
  expect(page.delivered()).toEqual(['from a later pagehide listener']);
});

it('counts a keepalive request in flight at exit as delivered: the next page does not repeat it', async () => {
  const storage = createMemoryStorage();
  const sent: SentRequest[] = [];
  const page = createHarness(
    {},
    { storage, sent, id: 'tab', respond: () => new Promise<number>(() => {}) },
  );
  page.delivery.start();
  page.log('in flight');
  await vi.advanceTimersByTimeAsync(1000);
  expect(sent.map((request) => [request.kind, request.keepalive])).toEqual([['fetch', true]]);
  page.log('queued');
  page.scope.dispatchEvent(new Event('pagehide'));
  page.delivery.stop();
  expect(chunkKeys(storage)).toEqual([]);

  const next = createHarness({}, { storage, sent, id: 'tab' });
  next.delivery.start();
  await vi.advanceTimersByTimeAsync(1000);
  expect(sent.flatMap((request) => request.messages.map((m) => m.caption))).toEqual([
    'in flight',
    'queued',
  ]);
});

it('another tab sends what a closed tab left, once its lease is given back', async () => {
  const storage = createMemoryStorage();
  const sent: SentRequest[] = [];
  const closing = createHarness({}, { storage, sent, id: 'a', respond: () => 503 });
  const staying = createHarness({}, { storage, sent, id: 'b', beaconAccepts: false });
  closing.delivery.start();
  for (const caption of range(3, 'a')) closing.log(caption);
  await vi.advanceTimersByTimeAsync(1500);
  staying.delivery.start();
  for (const caption of range(2, 'b')) staying.log(caption);
  await vi.advanceTimersByTimeAsync(5000);
  // While the first tab lives, the other leaves its messages alone.
  expect(staying.delivered()).toEqual(['b1', 'b2']);
  closing.document.visibilityState = 'hidden';
  closing.scope.dispatchEvent(new Event('pagehide'));
  closing.delivery.stop();
  await vi.advanceTimersByTimeAsync(25_000);
  expect(staying.delivered()).toEqual(['b1', 'b2', 'a1', 'a2', 'a3']);
  expect(chunkKeys(storage)).toEqual([]);
});

it('another tab sends what a crashed tab left once its lease is stale, and only one tab does', async () => {
  const storage = createMemoryStorage();
  const sent: SentRequest[] = [];
  const crashed = createHarness({}, { storage, sent, id: 'a', respond: () => 503 });
  crashed.delivery.start();
  for (const caption of range(3, 'a')) crashed.log(caption);
  await vi.advanceTimersByTimeAsync(1500);
  vi.clearAllTimers(); // The page dies: its lease is no longer renewed.
  const tabs = ['b', 'c'].map((id) => createHarness({}, { storage, sent, id }));
  for (const tab of tabs) tab.delivery.start();
  await vi.advanceTimersByTimeAsync(60_000);
  expect(deliveries(sent)).toEqual([]);
  await vi.advanceTimersByTimeAsync(4 * 60_000);
  expect(deliveries(sent)).toEqual(['a#1', 'a#2', 'a#3']);
});

it('uninstalling keeps the queue in memory and takes it out of storage', async () => {
  const storage = createMemoryStorage();
  const page = createHarness({}, { storage, respond: () => 503 });
  const restore = page.delivery.start();
  page.log('kept');
  await vi.advanceTimersByTimeAsync(200);
  expect(chunkKeys(storage)).toHaveLength(1);
  restore();
  expect(storage.map.size).toBe(0);
  expect(page.delivery.queued()).toBe(1);
});

it('counts a keepalive request the unloading page failed just before pagehide as handed over', async () => {
  // Chromium rejects the page's keepalive fetches as the page unloads, then fires pagehide,
  // while the browser still sends them.
  const storage = createMemoryStorage();
  const sent: SentRequest[] = [];
  const page = createHarness({}, { storage, sent, id: 'tab', respond: () => 0 });
  page.delivery.start();
  await vi.advanceTimersByTimeAsync(200);
  page.log('in flight');
  void page.delivery.flush();
  for (let tick = 0; tick < 20; tick++) await Promise.resolve(); // the fetch has failed by now
  expect(sent).toHaveLength(1);
  page.scope.dispatchEvent(new Event('pagehide'));
  vi.clearAllTimers();
  expect(sent.map((request) => request.kind)).toEqual(['fetch']);
  expect(chunkKeys(storage)).toEqual([]);
});

it('writes only what was logged since the last write, and the next page sends it in one batch', async () => {
  const storage = createMemoryStorage();
  const sent: SentRequest[] = [];
  const page = createHarness({}, { storage, sent, id: 'tab', respond: () => 503 });
  page.delivery.start();
  await vi.advanceTimersByTimeAsync(200);
  const write = vi.spyOn(storage, 'setItem');
  page.log('a');
  page.log('b');
  await vi.advanceTimersByTimeAsync(100);
  page.log('c');
  await vi.advanceTimersByTimeAsync(100);
  const written = write.mock.calls
    .filter(([key]) => /\d$/.test(key))
    .map(([, value]) => JSON.parse('[' + value + ']').map((message: any) => message.caption));
  expect(written).toEqual([['a', 'b'], ['c']]);
  vi.clearAllTimers(); // The page dies before its first send.

  const next = createHarness({}, { storage, sent, id: 'tab' });
  next.delivery.start();
  await vi.advanceTimersByTimeAsync(200);
  expect(sent.map((request) => request.messages.map((m) => m.caption))).toEqual([['a', 'b', 'c']]);
  expect([...storage.map.keys()].filter((key) => /\d$/.test(key))).toEqual([]);
});

it.each([
  ['failing', (page: ReturnType<typeof createHarness>) => page.delivery.flush()],
  [
    'offline',
    async (page: ReturnType<typeof createHarness>) => void (page.navigator.onLine = false),
  ],
])(
  'while the server is %s, page exit keeps the queue in storage instead of beaconing it',
  async (_, fail) => {
    const storage = createMemoryStorage();
    const sent: SentRequest[] = [];
    const page = createHarness({}, { storage, sent, id: 'tab', respond: () => 503 });
    page.delivery.start();
    await vi.advanceTimersByTimeAsync(200);
    for (const caption of range(3, 'm')) page.log(caption);
    await fail(page);
    page.log('last');
    page.document.visibilityState = 'hidden';
    page.document.dispatchEvent(new Event('visibilitychange'));
    page.scope.dispatchEvent(new Event('pagehide'));
    page.delivery.stop();
    expect(sent.filter((request) => request.kind == 'beacon')).toEqual([]);

    const next = createHarness({}, { storage, sent, id: 'tab' });
    next.delivery.start();
    await vi.advanceTimersByTimeAsync(200);
    await next.delivery.flush();
    expect(next.delivered()).toEqual([...range(3, 'm'), 'last']);
    expect(deliveries(sent)).toEqual(['tab#1', 'tab#2', 'tab#3', 'tab#4']);
  },
);

it('beacons at exit while the server is failing when there is no storage to keep the queue', async () => {
  const page = createHarness({}, { respond: () => 503 });
  page.delivery.start();
  page.log('a');
  await page.delivery.flush();
  page.scope.dispatchEvent(new Event('pagehide'));
  expect(page.sent.map((request) => request.kind)).toEqual(['fetch', 'beacon']);
  expect(page.delivered()).toEqual(['a']);
});

it('holds no lease in the back/forward cache, and sends what it stored, once, when it comes back', async () => {
  const storage = createMemoryStorage();
  let down = true;
  const page = createHarness({}, { storage, id: 'tab', respond: () => (down ? 503 : 204) });
  page.delivery.start();
  await vi.advanceTimersByTimeAsync(200);
  page.log('a');
  page.log('b');
  await page.delivery.flush();
  page.scope.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: true }));
  expect(page.sent.map((request) => request.kind)).toEqual(['fetch']);
  expect(chunkKeys(storage)).toHaveLength(1);
  expect(storage.getItem('LoupeQueue:tab')).toBeNull();

  down = false;
  page.scope.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
  page.log('c');
  await vi.advanceTimersByTimeAsync(60_000);
  expect(page.delivered()).toEqual(['a', 'b', 'c']);
  expect(deliveries(page.sent)).toEqual(['tab#1', 'tab#2', 'tab#3']);
  expect(chunkKeys(storage)).toEqual([]);
});

it('does not send again what another tab sent while it was in the back/forward cache', async () => {
  const storage = createMemoryStorage();
  const sent: SentRequest[] = [];
  let down = true;
  const page = createHarness({}, { storage, sent, id: 'a', respond: () => (down ? 503 : 204) });
  page.delivery.start();
  await vi.advanceTimersByTimeAsync(200);
  page.log('a1');
  await page.delivery.flush();
  page.scope.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: true }));
  page.delivery.stop();

  down = false;
  const other = createHarness({}, { storage, sent, id: 'b' });
  other.delivery.start();
  await vi.advanceTimersByTimeAsync(1000);
  expect(deliveries(sent)).toEqual(['a#1']);

  page.scope.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
  page.log('a2');
  await vi.advanceTimersByTimeAsync(60_000);
  expect(deliveries(sent)).toEqual(['a#1', 'a#2']);
  expect(chunkKeys(storage)).toEqual([]);
});
