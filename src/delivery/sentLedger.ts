import type { Scope } from '../context';

/**
 * Where tabs record which stored chunks left (the server accepted them, or the page handed them to
 * a beacon or a keepalive request), so that no other tab sends them again.
 *
 * It lives in IndexedDB, not in localStorage, because of how Chromium serves each: a page reads
 * localStorage from a copy of its own, which other pages' writes reach as messages on a channel of
 * their own; a Web Lock grant arrives on another, in no set order with them, so a tab granted a
 * lock may still see chunks that the previous holder sent and removed. An IndexedDB read goes to
 * the browser's one copy of the database and sees every transaction committed before it began.
 */
export interface SentLedger {
  /** Whether chunk `number` of `owner` left; false when not recorded or IndexedDB is missing. */
  has(owner: string, number: number): Promise<boolean>;
  /**
   * Record that chunk `number` of `owner` left, and forget the chunks numbered below `oldest`
   * (older than any chunk still sent); resolves once committed, or failed.
   */
  add(owner: string, number: number, oldest: number): Promise<unknown>;
}

/**
 * The ledger of this origin, in the IndexedDB database `LoupeQueue`, opened at first use: one
 * entry per chunk, keyed `[number, owner]` so that the old ones go in one range.
 */
export function openSentLedger(scope: Scope): SentLedger {
  let database: Promise<IDBDatabase | undefined> | undefined;
  /** Run one request in a transaction of its own; resolves with its result, undefined on failure. */
  const run = (mode: IDBTransactionMode, request: (store: IDBObjectStore) => IDBRequest) =>
    (database ||= new Promise((resolve) => {
      try {
        const opening = scope.indexedDB.open('LoupeQueue');
        opening.onupgradeneeded = () => opening.result.createObjectStore('sent');
        opening.onsuccess = () => resolve(opening.result);
        opening.onerror = () => resolve(undefined);
      } catch {
        resolve(undefined);
      }
    })).then(
      (opened) =>
        new Promise<any>((resolve) => {
          try {
            const transaction = (opened as IDBDatabase).transaction('sent', mode);
            const asked = request(transaction.objectStore('sent'));
            transaction.oncomplete = () => resolve(asked.result);
            transaction.onabort = () => resolve(undefined);
            // Commit now rather than when the page next idles: a page that is leaving may not.
            transaction.commit?.();
          } catch {
            resolve(undefined);
          }
        }),
    );
  return {
    has: (owner, number) =>
      run('readonly', (store) => store.count([number, owner])).then((count) => count > 0),
    add: (owner, number, oldest) =>
      run('readwrite', (store) => {
        store.delete(scope.IDBKeyRange.upperBound([oldest]));
        return store.put(1, [number, owner]);
      }),
  };
}
