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
