import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createHarness } from './delivery-harness';

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-21T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const range = (count: number, prefix = 'm') =>
  Array.from({ length: count }, (_, index) => prefix + (index + 1));

it('sends a burst of 1,000 messages in at most 5 requests of at most 64 KiB', async () => {
  const page = createHarness();
  for (const caption of range(1000)) page.log(caption);
  await vi.advanceTimersByTimeAsync(0);
  expect(page.sent.length).toBeGreaterThan(0);
  await page.delivery.flush();
  expect(page.sent.length).toBeLessThanOrEqual(5);
  for (const request of page.sent) expect(request.bytes).toBeLessThanOrEqual(65536);
  expect(page.captions()).toEqual(range(1000));
  expect(page.delivery.queued()).toBe(0);
});

it('waits flushInterval for more messages, then sends them together', async () => {
  const page = createHarness({ flushInterval: 500 });
  page.log('a');
  await vi.advanceTimersByTimeAsync(300);
  page.log('b');
  await vi.advanceTimersByTimeAsync(199);
  expect(page.sent).toEqual([]);
  await vi.advanceTimersByTimeAsync(1);
  expect(page.sent.map((request) => request.messages.length)).toEqual([2]);
  expect(page.captions()).toEqual(['a', 'b']);
});

it('sends at once when a batch reaches batchSize', async () => {
  const page = createHarness({ batchSize: 3, flushInterval: 60_000 });
  for (const caption of range(7)) page.log(caption);
  await vi.advanceTimersByTimeAsync(0);
  expect(page.sent.map((request) => request.messages.length)).toEqual([3, 3]);
  await page.delivery.flush();
  expect(page.sent.map((request) => request.messages.length)).toEqual([3, 3, 1]);
});

it('sends at once when the next message would not fit 60 KiB', async () => {
  const page = createHarness({ flushInterval: 60_000 });
  for (const caption of range(3)) page.log(caption, 25_000);
  await vi.advanceTimersByTimeAsync(0);
  expect(page.sent.map((request) => request.messages.length)).toEqual([2]);
  expect(page.sent[0]!.bytes).toBeLessThanOrEqual(65536);
});

it('sends with keepalive when the body fits the keepalive quota', async () => {
  const page = createHarness();
  page.log('small');
  await page.delivery.flush();
  expect(page.sent[0]).toMatchObject({ kind: 'fetch', keepalive: true });
});

it('flush resolves once what was queued has been sent', async () => {
  const page = createHarness();
  page.log('a');
  page.log('b');
  await page.delivery.flush();
  expect(page.captions()).toEqual(['a', 'b']);
  expect(page.delivery.queued()).toBe(0);
});

it('keeps a failed batch and sends it again, with backoff, in order', async () => {
  let failures = 3;
  const page = createHarness({}, { respond: () => (failures-- > 0 ? 503 : 204) });
  page.log('a');
  await page.delivery.flush();
  expect(page.sent).toHaveLength(1);
  expect(page.delivery.queued()).toBe(1);
  page.log('b');
  await vi.advanceTimersByTimeAsync(60_000);
  // a three times (503), then a again and b, which came later, after it.
  expect(page.sent.map((request) => request.messages.map((message) => message.caption))).toEqual([
    ['a'],
    ['a'],
    ['a'],
    ['a'],
    ['b'],
  ]);
  const gaps = page.sent.slice(1).map((request, index) => request.at - page.sent[index]!.at);
  expect(gaps[0]).toBeGreaterThanOrEqual(500);
  expect(gaps[1]).toBeGreaterThanOrEqual(1000);
  expect(gaps[2]).toBeGreaterThanOrEqual(2000);
  expect(page.delivery.queued()).toBe(0);
});

it.each([0, 401, 408, 429, 500, 502])('retries status %s', async (status) => {
  let first = true;
  const page = createHarness({}, { respond: () => (first ? ((first = false), status) : 200) });
  page.log('a');
  void page.delivery.flush();
  await vi.advanceTimersByTimeAsync(2000);
  expect(page.captions()).toEqual(['a', 'a']);
});

it('alternates keepalive on retries, in case the keepalive quota is what failed', async () => {
  let failures = 2;
  const page = createHarness({}, { respond: () => (failures-- > 0 ? 0 : 204) });
  page.log('a');
  void page.delivery.flush();
  await vi.advanceTimersByTimeAsync(10_000);
  expect(page.sent.map((request) => request.keepalive)).toEqual([true, false, true]);
});

it('waits what Retry-After asks after a 429: no request comes sooner, not even on flush', async () => {
  let limited = true;
  const page = createHarness(
    {},
    { respond: () => (limited ? ((limited = false), [429, { 'Retry-After': '3' }]) : 204) },
  );
  page.log('a');
  await page.delivery.flush();
  const refusedAt = page.sent[0]!.at;
  page.log('b');
  await page.delivery.flush();
  await vi.advanceTimersByTimeAsync(2999);
  expect(page.sent).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(page.sent[1]!.at - refusedAt).toBeGreaterThanOrEqual(3000);
  expect(page.captions()).toEqual(['a', 'a', 'b']);
});

it('honours a Retry-After date', async () => {
  let limited = true;
  const at = new Date(Date.now() + 5000).toUTCString();
  const page = createHarness(
    {},
    { respond: () => (limited ? ((limited = false), [503, { 'Retry-After': at }]) : 204) },
  );
  page.log('a');
  await page.delivery.flush();
  await vi.advanceTimersByTimeAsync(4000);
  expect(page.sent).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(1000);
  expect(page.sent).toHaveLength(2);
});

it('drops a batch the server refuses with another 4xx, warns once, and sends the next', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const page = createHarness(
    { batchSize: 2 },
    { respond: (request) => (request.messages[0]!.caption == 'bad' ? 400 : 204) },
  );
  for (const caption of ['bad', 'also in the bad batch', 'good']) page.log(caption);
  await page.delivery.flush();
  await vi.advanceTimersByTimeAsync(10_000);
  expect(page.captions()).toEqual(['bad', 'also in the bad batch', 'good']);
  expect(warn).toHaveBeenCalledTimes(1);
  expect(String(warn.mock.calls[0]![0])).toMatch(/refused 2 messages \(400\)/);
  expect(page.delivery.queued()).toBe(0);
});

it('sends nothing while offline and resumes on the online event', async () => {
  const page = createHarness();
  page.delivery.start();
  page.navigator.onLine = false;
  page.log('a');
  await page.delivery.flush();
  await vi.advanceTimersByTimeAsync(60_000);
  expect(page.sent).toEqual([]);
  page.navigator.onLine = true;
  page.scope.dispatchEvent(new Event('online'));
  await vi.advanceTimersByTimeAsync(0);
  expect(page.captions()).toEqual(['a']);
});

it('drops messages that waited longer than maxMessageAge and reports how many', async () => {
  let down = true;
  const page = createHarness(
    { maxMessageAge: 60_000, batchSize: 2 },
    { respond: () => (down ? 0 : 204) },
  );
  page.delivery.start();
  for (const caption of range(3)) page.log(caption);
  void page.delivery.flush();
  await vi.advanceTimersByTimeAsync(30_000);
  page.log('young');
  await vi.advanceTimersByTimeAsync(40_000);
  // Back online at 70 s: the first three have waited too long, the fourth has not.
  down = false;
  page.scope.dispatchEvent(new Event('online'));
  await vi.advanceTimersByTimeAsync(0);
  expect(page.delivered()).toEqual(['young']);
  // Delivery only counts: the count is reported ahead of the next message logged.
  expect(page.reports).toEqual([]);
  page.log('next');
  expect(page.reports).toEqual(['3 log messages were dropped: older than maxMessageAge.']);
  await vi.advanceTimersByTimeAsync(1000);
  expect(page.delivered()).toEqual([
    'young',
    'Loupe: 3 log messages were dropped: older than maxMessageAge.',
    'next',
  ]);
  expect(page.delivery.queued()).toBe(0);
});

it('keeps at most maxStoredMessages, dropping the oldest, and reports it in one message', async () => {
  let down = true;
  const page = createHarness({ maxStoredMessages: 5 }, { respond: () => (down ? 503 : 204) });
  for (const caption of range(8)) page.log(caption);
  await vi.advanceTimersByTimeAsync(100);
  expect(page.delivery.queued()).toBe(5);
  down = false;
  await vi.advanceTimersByTimeAsync(600_000);
  await page.delivery.flush();
  page.log('next');
  await page.delivery.flush();
  expect(page.delivered()).toEqual([
    'm4',
    'm5',
    'm6',
    'm7',
    'm8',
    'Loupe: 3 log messages were dropped: over maxStoredMessages or maxStoredBytes.',
    'next',
  ]);
  expect(page.reports).toEqual([
    '3 log messages were dropped: over maxStoredMessages or maxStoredBytes.',
  ]);
});

it('keeps at most maxStoredBytes of messages', async () => {
  const page = createHarness({ maxStoredBytes: 3000 }, { respond: () => 503 });
  for (const caption of range(10)) page.log(caption, 900);
  await vi.advanceTimersByTimeAsync(100);
  expect(page.delivery.queued()).toBe(2);
});
