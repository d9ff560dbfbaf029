import { expect, it } from 'vitest';
import { retryDelay, shouldRetry } from '../../src/delivery/retry';

it('retries network errors, 401, 408, 429 and 5xx, and nothing else', () => {
  for (const status of [0, 401, 408, 429, 500, 502, 503, 504, 599])
    expect(shouldRetry(status)).toBe(true);
  for (const status of [200, 204, 301, 400, 403, 404, 405, 413, 415, 422])
    expect(shouldRetry(status)).toBe(false);
});

it('doubles the wait after each failure, with jitter between half and all of it', () => {
  expect(retryDelay(1, null, 0, 0)).toBe(1000);
  expect(retryDelay(1, null, 0, 0.999)).toBeCloseTo(500.5);
  expect(retryDelay(2, null, 0, 0)).toBe(2000);
  expect(retryDelay(4, null, 0, 0)).toBe(8000);
  for (let failures = 1; failures < 8; failures++) {
    const longest = 1000 * 2 ** (failures - 1);
    const delay = retryDelay(failures, null, 0, Math.random());
    expect(delay).toBeGreaterThanOrEqual(longest / 2);
    expect(delay).toBeLessThanOrEqual(longest);
  }
});

it('never backs off longer than five minutes', () => {
  expect(retryDelay(30, null, 0, 0)).toBe(300_000);
  expect(retryDelay(1000, null, 0, 0)).toBe(300_000);
});

it('waits at least what Retry-After asks, in seconds', () => {
  expect(retryDelay(1, '2', 0, 0.5)).toBe(2000);
  expect(retryDelay(1, ' 120 ', 0, 0)).toBe(120_000);
  // A shorter Retry-After does not cut the backoff short.
  expect(retryDelay(4, '1', 0, 0)).toBe(8000);
});

it('waits until the date Retry-After names', () => {
  const now = Date.parse('2026-11-21T10:00:00Z');
  expect(retryDelay(1, 'Sat, 21 Nov 2026 10:00:30 GMT', now, 0)).toBe(30_000);
  // A date in the past, or a value that is neither, leaves the backoff.
  expect(retryDelay(1, 'Sat, 21 Nov 2026 09:00:00 GMT', now, 0)).toBe(1000);
  expect(retryDelay(1, 'soon', now, 0)).toBe(1000);
  expect(retryDelay(1, '', now, 0)).toBe(1000);
});

it('waits at most an hour, whatever the server asks', () => {
  expect(retryDelay(1, '86400', 0, 0)).toBe(3_600_000);
  expect(retryDelay(1, 'Fri, 01 Jan 2100 00:00:00 GMT', Date.parse('2026-01-01'), 0)).toBe(
    3_600_000,
  );
});
