import type { SafeStorage } from '../util/safeStorage';

/** A lock on one agent session's stored messages, as `requestLock` returns it. */
export interface Lock {
  /** Give the lock up, or stop waiting for it. */
  release(): void;
  /** Whether it is still ours: checked before each request, since a lease can be lost. */
  holds(): boolean;
}

/**
 * Ask, as agent session `me`, for the lock on `owner`'s stored messages: only its holder may send
 * them. `granted` runs once the lock is ours.
 *
 * Web Locks where the browser has them (secure contexts): a lock is held until it is given up or
 * its page is gone, so a closed or crashed tab frees its messages at once. Elsewhere, a lease in
 * localStorage: `<holder> <time>`, renewed every 20 s (a waiting tab looks every 5 s), free when older than 3 min; a claim is
 * written and read back after 100 ms, so of two tabs claiming at once only the last writer wins.
 * Hidden tabs may run timers only once a minute (Chrome's intensive throttling), so a live
 * holder renews well within the stale time. A holder that was frozen longer than that may find
 * the lease taken: it lets it go, and `holds()` says so before it sends anything.
 */
export const requestLock = (
  locks: LockManager | undefined,
  storage: SafeStorage,
  me: string,
  owner: string,
  granted: () => void,
): Lock => {
  const name = 'LoupeQueue:' + owner;
  if (locks) {
    const controller = new AbortController();
    const signal = controller.signal;
    // The controller serves as the options: its `signal` stops the wait, or, once the lock is
    // ours, ends the promise that holds it.
    locks
      .request(
        name,
        controller,
        () =>
          // Given up between the grant and this call: let it go at once.
          signal.aborted ||
          new Promise((resolve) => {
            signal.onabort = resolve;
            granted();
          }),
      )
      .catch(() => {});
    return { release: () => controller.abort(), holds: () => true };
  }
  let held = false;
  let timer: ReturnType<typeof setTimeout>;
  // Whether the lease is ours; also when storage has none (it is full: nobody sees our messages).
  const ours = () => (storage.get(name) || me).split(' ')[0] == me;
  const tick = () => {
    const [current, time] = (storage.get(name) || ' 0').split(' ');
    const free = !current || current == me || Date.now() - +(time as string) > 180_000;
    // Taken by another tab while this one was frozen: never write over it.
    if (!free) held = false;
    const wrote = free && storage.set(name, me + ' ' + Date.now());
    // A full storage cannot hold our lease: then nobody can see our messages either.
    if (!held && (current == me || (owner == me && free && !wrote))) {
      held = true;
      granted();
    }
    timer = setTimeout(tick, held ? 20_000 : free ? 100 : 5000);
  };
  tick();
  return {
    release: () => {
      clearTimeout(timer);
      if (held && ours()) storage.remove(name);
    },
    holds: () => held && ours(),
  };
};
