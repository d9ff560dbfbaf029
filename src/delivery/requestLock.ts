import type { SafeStorage } from '../util/safeStorage';
import { QUEUE_PREFIX } from './queue';

/**
 * Ask for the lock on one agent session's stored messages: only its holder may send them.
 * `granted` runs once the lock is ours; the returned function gives it up or stops waiting.
 */
export type RequestLock = (owner: string, granted: () => void) => () => void;

// Lease timing for browsers without Web Locks. Hidden tabs may run timers only once a minute
// (Chrome's intensive throttling), so a live holder renews well within the stale time.
const LEASE_RENEW = 20_000;
const LEASE_STALE = 3 * 60_000;
const LEASE_SETTLE = 100;

/**
 * Web Locks where the browser has them (secure contexts): a lock is held until it is given up or
 * its page is gone, so a closed or crashed tab frees its messages at once. Elsewhere, a lease in
 * localStorage: `<holder> <time>`, renewed every 20 s, free when older than 3 min; a claim is
 * written and read back after a moment, so of two tabs claiming at once only the last writer wins.
 */
export function createLockRequester(
  locks: LockManager | undefined,
  storage: SafeStorage,
  me: string,
): RequestLock {
  if (locks) {
    return (owner, granted) => {
      const controller = new AbortController();
      let release = () => {};
      locks
        .request(QUEUE_PREFIX + owner, { signal: controller.signal }, () =>
          // Given up between the grant and this call: let it go at once.
          controller.signal.aborted
            ? 0
            : new Promise<void>((resolve) => {
                release = resolve;
                granted();
              }),
        )
        .catch(() => {});
      return () => {
        controller.abort();
        release();
      };
    };
  }
  return (owner, granted) => {
    const key = QUEUE_PREFIX + owner;
    let held = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const [holder, time] = (storage.get(key) || ' 0').split(' ');
      const free = !holder || holder == me || Date.now() - Number(time) > LEASE_STALE;
      const wrote = (held || free) && storage.set(key, me + ' ' + Date.now());
      // A full storage cannot hold our lease: then nobody can see our messages either.
      if (!held && (holder == me || (owner == me && free && !wrote))) {
        held = true;
        granted();
      }
      timer = setTimeout(tick, held || !free ? LEASE_RENEW : LEASE_SETTLE);
    };
    tick();
    return () => {
      clearTimeout(timer);
      if (held) storage.remove(key);
    };
  };
}
