import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createHarness, createMemoryStorage } from './delivery-harness';

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-21T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

const chunkKeys = (storage: ReturnType<typeof createMemoryStorage>) =>
  [...storage.map.keys()].filter((key) => /^LoupeQueue:[^:]+:\d+/.test(key));

it('sends and beacons nothing while no usable log server is set, and sends all once one is', async () => {
  let endpoint = '';
  const storage = createMemoryStorage();
  const page = createHarness({}, { storage, endpoint: () => endpoint });
  page.delivery.start();
  page.log('a');
  page.log('b');
  void page.delivery.flush();
  await vi.advanceTimersByTimeAsync(5000);
  expect(page.delivery.queued()).toBe(2);
  page.scope.dispatchEvent(new Event('pagehide'));
  expect(page.sent).toEqual([]);
  expect(chunkKeys(storage)).toHaveLength(1);
  page.scope.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
  endpoint = 'https://logs.example/loupe/log';
  await vi.advanceTimersByTimeAsync(1000);
  expect(page.delivered()).toEqual(['a', 'b']);
  expect(chunkKeys(storage)).toEqual([]);
});

it('keeps the stored messages for the next page when the log server is unusable', async () => {
  const storage = createMemoryStorage();
  const page = createHarness({}, { storage, id: 'tab', endpoint: () => '' });
  page.delivery.start();
  page.log('kept');
  await vi.advanceTimersByTimeAsync(2000);
  page.scope.dispatchEvent(new Event('pagehide'));
  vi.clearAllTimers();
  const next = createHarness({}, { storage, id: 'tab' });
  next.delivery.start();
  await vi.advanceTimersByTimeAsync(200);
  expect(next.delivered()).toEqual(['kept']);
});
