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
  /** The number of `owner`'s last chunk that left; 0 when none is recorded or IndexedDB is missing. */
  read(owner: string): Promise<number>;
  /** Record that `owner`'s chunks up to `number` left; resolves once committed, or failed. */
  write(owner: string, number: number): Promise<unknown>;
}

/** The ledger of this origin, in the IndexedDB database `LoupeQueue`; opened at first use. */
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
    read: (owner) => run('readonly', (store) => store.get(owner)).then((number) => number || 0),
    write: (owner, number) => run('readwrite', (store) => store.put(number, owner)),
  };
}
