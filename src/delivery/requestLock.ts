import type { SafeStorage } from '../util/safeStorage';

/**
 * Ask, as agent session `me`, for the lock on `owner`'s stored messages: only its holder may send
 * them. `granted` runs once the lock is ours; the returned function gives it up or stops waiting.
 *
 * Web Locks where the browser has them (secure contexts): a lock is held until it is given up or
 * its page is gone, so a closed or crashed tab frees its messages at once. Another session's lock
 * counts as granted a second after the browser grants it: it may come right after its last holder
 * sent and removed messages as its page left, and Chromium delivers the grant and another page's
 * localStorage writes on separate paths, so this page's localStorage may not show the removal
 * yet. A holder that stays gives the lock up only once the ledger has what it sent
 * (`openSentLedger`); one that leaves cannot wait for that.
 *
 * Elsewhere, a lease in localStorage: `<holder> <time>`, renewed every 20 s, free when older than
 * 3 min; a claim is written and read back after 100 ms, so of two tabs claiming at once only the
 * last writer wins. A lease needs no such wait: it travels with the messages through the same
 * localStorage, where one page's writes reach another in the order they were made, so a page that
 * sees a lease given back sees what its holder removed before.
 * Hidden tabs may run timers only once a minute (Chrome's intensive throttling), so a live
 * holder renews well within the stale time. A page frozen longer, or asleep, may find on waking
 * that another tab took its lease, or is taking it: the lease is lost when it names another tab
 * or went stale, and the holder must ask again before it sends.
 *
 * The returned function gives the lock up; called with `true`, it says instead whether the lock
 * is still ours (falsy once a lease was lost).
 */
export const requestLock = (
  locks: LockManager | undefined,
  storage: SafeStorage,
  me: string,
  owner: string,
  granted: () => void,
): ((check?: unknown) => unknown) => {
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
            setTimeout(() => signal.aborted || granted(), owner == me ? 0 : 1000);
          }),
      )
      .catch(() => {});
    return (check) => check || controller.abort();
  }
  // 1 (true): held; 2: held without a lease, which a full storage could not take.
  let held: unknown = 0;
  let timer: ReturnType<typeof setTimeout>;
  const tick = () => {
    clearTimeout(timer);
    // No lease: no holder, so it is free (its time, NaN, does not count as stale). The
    // subtraction reads the time's text as a number.
    const [holder, time] = (storage.get(name) || '').split(' ');
    const stale = Date.now() - (time as any) > 180_000;
    const mine = holder == me && !stale;
    // Lost: no more ticks, and checks say so, until it is given up and asked for again.
    if (held == 1 && !mine) return (held = 0);
    const free = !holder || mine || stale;
    const wrote = (held || free) && storage.set(name, me + ' ' + Date.now());
    if (!held && (mine || (owner == me && free && !wrote))) {
      held = wrote || 2;
      granted();
    }
    timer = setTimeout(tick, held || !free ? 20_000 : 100);
    return held;
  };
  tick();
  return (check) => (check ? held && tick() : (clearTimeout(timer), held && storage.remove(name)));
};
