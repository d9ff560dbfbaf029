import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { requestLock } from '../../src/delivery/requestLock';
import { openStorage } from '../../src/util/safeStorage';
import { createMemoryStorage } from './delivery-harness';

// The lease that stands in for Web Locks where the browser has none.

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-21T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

const tabs = () => {
  const memory = createMemoryStorage();
  const storage = openStorage({ localStorage: memory }, 'localStorage')!;
  return {
    memory,
    tab: (id: string) => (owner: string, granted: () => void) =>
      requestLock(undefined, storage, id, owner, granted),
  };
};

it('grants a free lease once its claim has settled, and gives it back', async () => {
  const { memory, tab } = tabs();
  const granted = vi.fn();
  const release = tab('a')('a', granted);
  expect(granted).not.toHaveBeenCalled();
  await vi.advanceTimersByTimeAsync(100);
  expect(granted).toHaveBeenCalledTimes(1);
  expect(memory.getItem('LoupeQueue:a')).toMatch(/^a \d+$/);
  release();
  expect(memory.getItem('LoupeQueue:a')).toBeNull();
});

it('leaves a session alone while its tab renews the lease, and takes it once it goes stale', async () => {
  const { tab } = tabs();
  const owner = tab('a')('a', () => {});
  await vi.advanceTimersByTimeAsync(100);
  const taken = vi.fn();
  tab('b')('a', taken);
  await vi.advanceTimersByTimeAsync(10 * 60_000);
  expect(taken).not.toHaveBeenCalled();
  owner(); // The tab closes and gives the lease back.
  await vi.advanceTimersByTimeAsync(20_100);
  expect(taken).toHaveBeenCalledTimes(1);
});

it('lets only one of two tabs take the lease of a crashed tab', async () => {
  const { memory, tab } = tabs();
  memory.setItem('LoupeQueue:a', 'a ' + (Date.now() - 60_000));
  const taken = [vi.fn(), vi.fn()];
  tab('b')('a', taken[0]!);
  tab('c')('a', taken[1]!);
  await vi.advanceTimersByTimeAsync(2 * 60_000);
  expect(taken.map((granted) => granted.mock.calls.length)).toEqual([0, 0]);
  await vi.advanceTimersByTimeAsync(2 * 60_000);
  expect(taken.map((granted) => granted.mock.calls.length).sort()).toEqual([0, 1]);
});

it('gives a tab its own lease at once after its earlier page died holding it', () => {
  const { memory, tab } = tabs();
  memory.setItem('LoupeQueue:a', 'a ' + Date.now());
  const granted = vi.fn();
  tab('a')('a', granted);
  expect(granted).toHaveBeenCalledTimes(1);
});

it('grants its own lease when storage cannot hold it, since nobody can see its messages then', () => {
  const { memory, tab } = tabs();
  memory.full = true;
  const granted = vi.fn();
  tab('a')('a', granted);
  expect(granted).toHaveBeenCalledTimes(1);
});

it('lets go of a lease that another tab took while this one was frozen, and says so when checked', async () => {
  const { memory, tab } = tabs();
  const granted = vi.fn();
  const lock = tab('a')('a', granted);
  await vi.advanceTimersByTimeAsync(100);
  expect(lock(true)).toBeTruthy();
  // Frozen: no tick ran while another tab found the lease stale and took it.
  memory.setItem('LoupeQueue:a', 'b ' + Date.now());
  expect(lock(true)).toBeFalsy();
  await vi.advanceTimersByTimeAsync(10 * 60_000);
  // It neither renewed nor claimed it again: asking again is the caller's move.
  expect(memory.getItem('LoupeQueue:a')).toMatch(/^b /);
  expect(lock(true)).toBeFalsy();
  expect(granted).toHaveBeenCalledTimes(1);
  lock();
  expect(memory.getItem('LoupeQueue:a')).toMatch(/^b /);
});

it('lets go of its lease when it wakes to find it stale, which another tab may be claiming', async () => {
  const { memory, tab } = tabs();
  const lock = tab('a')('b', () => {});
  await vi.advanceTimersByTimeAsync(100);
  const written = memory.getItem('LoupeQueue:b');
  // Asleep for four minutes: the clock moves on, no timer runs.
  vi.setSystemTime(Date.now() + 4 * 60_000);
  expect(lock(true)).toBeFalsy();
  expect(memory.getItem('LoupeQueue:b')).toBe(written);
});

it('notices at its next renewal that another tab took its lease', async () => {
  const { memory, tab } = tabs();
  const lock = tab('a')('a', () => {});
  await vi.advanceTimersByTimeAsync(100);
  memory.setItem('LoupeQueue:a', 'b ' + Date.now());
  await vi.advanceTimersByTimeAsync(20_000);
  expect(memory.getItem('LoupeQueue:a')).toMatch(/^b /);
  expect(lock(true)).toBeFalsy();
});

it('keeps its own lock when a full storage could not take the lease', () => {
  const { memory, tab } = tabs();
  memory.full = true;
  const lock = tab('a')('a', () => {});
  expect(lock(true)).toBeTruthy();
  memory.full = false;
  memory.setItem('LoupeQueue:a', 'b ' + Date.now());
  memory.full = true;
  expect(lock(true)).toBeTruthy();
});
