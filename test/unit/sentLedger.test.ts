import { expect, it } from 'vitest';
import type { Scope } from '../../src/context';
import { createChunk } from '../../src/delivery/queue';
import { openSentLedger } from '../../src/delivery/sentLedger';

// The record of which stored chunks left, in Cache Storage: here a CacheStorage of one origin
// kept in memory, which resolves relative URLs as a page would.

const DAY = 864e5;

function cacheStorage() {
  const caches = new Map<string, Map<string, Response>>();
  const absolute = (url: string) => new URL(url, 'https://app.example').href;
  const open = async (name: string) => {
    const entries = caches.get(name) ?? new Map<string, Response>();
    caches.set(name, entries);
    return {
      put: async (url: string, response: Response) => void entries.set(absolute(url), response),
      match: async (url: string) => entries.get(absolute(url)),
      keys: async () => [...entries.keys()].map((url) => new Request(url)),
      delete: async (request: Request) => entries.delete(request.url),
    };
  };
  return { caches, open };
}

const page = (storage: unknown, locks: unknown = {}) =>
  ({ navigator: { locks }, caches: storage }) as unknown as Scope;

it('answers whether a chunk left once it was recorded, for every page of the origin', async () => {
  const storage = cacheStorage();
  const first = openSentLedger(page(storage), DAY)!;
  const second = openSentLedger(page(storage), DAY)!;
  const chunk = createChunk('tab-a', Date.now());
  expect(await second(chunk)).toBeFalsy();
  // A record is written at once only when the cache is open: a page that is leaving cannot wait.
  await first(createChunk('tab-a', 1));
  await first(chunk, true);
  expect(await second(chunk)).toBeTruthy();
  expect(await second(createChunk('tab-b', chunk.number))).toBeFalsy();
  expect([...storage.caches.get('LoupeQueue')!.keys()]).toEqual([
    `https://app.example/LoupeQueue:tab-a:${chunk.number}`,
  ]);
});

it('forgets records of chunks older than the age past which they are dropped unsent', async () => {
  const storage = cacheStorage();
  const writer = openSentLedger(page(storage), DAY)!;
  await writer(createChunk('tab-a', 1));
  const old = createChunk('tab-a', Date.now() - DAY - 1000);
  const recent = createChunk('tab-a', Date.now() - DAY + 60_000);
  await writer(old, true);
  await writer(recent, true);
  const reader = openSentLedger(page(storage), DAY)!;
  expect(await reader(recent)).toBeTruthy();
  expect(await reader(old)).toBeFalsy();
});

it('is not there without Web Locks or Cache Storage, and never rejects when the cache fails', async () => {
  expect(openSentLedger(page(cacheStorage(), null), DAY)).toBeFalsy();
  expect(openSentLedger(page(undefined), DAY)).toBeUndefined();
  // A sandboxed page: reading `caches` throws.
  const sandboxed = { navigator: { locks: {} } };
  Object.defineProperty(sandboxed, 'caches', {
    get() {
      throw new DOMException('Cache storage is disabled.', 'SecurityError');
    },
  });
  expect(openSentLedger(sandboxed as unknown as Scope, DAY)).toBeUndefined();
  // Private browsing in Firefox: opening rejects.
  const refused = openSentLedger(
    page({ open: () => Promise.reject(new DOMException('', 'SecurityError')) }),
    DAY,
  )!;
  const chunk = createChunk('tab-a', Date.now());
  expect(await refused(chunk)).toBeUndefined();
  expect(await refused(chunk, true)).toBeUndefined();
});
