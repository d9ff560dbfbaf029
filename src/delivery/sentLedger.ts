import type { Scope } from '../context';
import { attempt } from '../util/attempt';
import { type Chunk, partKey } from './queue';

/**
 * Where pages record which stored chunks left (the server answered, a beacon took them, they were
 * dropped), so that no other page sends them again: one entry per chunk, `/LoupeQueue:<owner>:<number>`,
 * in the origin's Cache Storage, kept for `maxAge`.
 *
 * A page reads localStorage from a copy of its own, which other pages' writes reach on a path of
 * their own, in no set order with a Web Lock grant: a tab granted a lock right after its last
 * holder sent and removed a chunk may still see that chunk. Every page reads Cache Storage from
 * the browser's one copy, so an entry written before the lock was given up is there for whoever
 * takes it next. Cache Storage exists in secure contexts, as Web Locks do; elsewhere the lease,
 * itself in localStorage, needs no ledger.
 *
 * Returns undefined without Web Locks or Cache Storage, else `ledger(chunk)`, which resolves
 * truthy when `chunk` left, and `ledger(chunk, true)`, which records that it did. Neither rejects.
 */
export const openSentLedger = (scope: Scope, maxAge: number) => {
  const ignore = () => {};
  let cache: Cache | undefined;
  const opened = scope.navigator.locks && attempt(() => scope.caches.open('LoupeQueue'));
  // The number in an entry's name is the time its chunk began: older ones are dropped unsent.
  opened
    ?.then((opened) =>
      (cache = opened).keys().then((keys) => {
        for (const key of keys)
          if (Date.now() - (key.url.split(':').pop() as any) > maxAge)
            opened.delete(key).catch(ignore);
      }),
    )
    .catch(ignore);
  return (
    opened &&
    ((chunk: Chunk, record?: unknown): Promise<unknown> | undefined =>
      // Recorded at once, not once the cache opened, so that a page that is leaving records it
      // before it gives up its locks.
      (record
        ? cache?.put('/' + partKey(chunk), new Response())
        : opened.then((opened) => opened.match('/' + partKey(chunk)))
      )?.catch(ignore))
  );
};
