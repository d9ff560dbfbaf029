import { MAX_MESSAGE_BYTES } from '../message/sizeBudget';
import { listen } from '../util/patch';
import { type SafeStorage, openStorage } from '../util/safeStorage';
import type { Delivery, DeliveryContext } from './delivery';
import { postLog, postLogOnExit } from './postLog';
import {
  type Chunk,
  chunkBody,
  createChunk,
  partKey,
  removeChunk,
  saveChunk,
  storedChunks,
  trimQueue,
} from './queue';
import { requestLock } from './requestLock';
import { retryDelay, shouldRetry } from './retry';
import { openSentLedger } from './sentLedger';

/** The agent's queue: batches, persists and sends every accepted message (see `Delivery`). */
export function createDelivery(context: DeliveryContext): Delivery {
  // A beacon carries 64 KiB, all keepalive requests in flight on a page share 64 KiB: a batch fits.
  const KEEPALIVE_QUOTA = 65536;
  const scope = context.scope;
  const {
    batchSize = 500,
    flushInterval = 1000,
    maxMessageAge = 864e5,
    maxStoredMessages = 5000,
    maxStoredBytes = 1048576,
  } = context.options;
  const me = context.owner;
  // In sending order; each owner's chunks by number.
  let chunks: Chunk[] = [];
  // The chunk taking new messages; it is sent at the next flush.
  let open: Chunk | undefined;
  let storage: SafeStorage | undefined;
  // Lock requests by owner, and owners whose lock we hold: only those chunks are sent (all, without storage).
  const locks: Record<string, (check?: unknown) => unknown> = {};
  const held: Record<string, boolean> = {};
  let ready = Promise.resolve();
  let markReady: (() => void) | undefined;
  let draining: Promise<void> | undefined;
  let sending: Chunk | undefined;
  // Body size of the request in flight with keepalive (else 0); what beacons took since visible.
  let keepaliveBytes = 0;
  let beaconBytes = 0;
  // Failed attempts in a row; while the retry timer of the last one runs, nothing is sent.
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let persistTimer: ReturnType<typeof setTimeout> | undefined;
  let lastNumber = 0;
  // Set at pagehide: what is logged later (by other pagehide listeners) leaves at once.
  let gone = false;
  let told = false;
  let dropped: Record<string, number> = {};
  let ledger: ReturnType<typeof openSentLedger>;
  // The ledger's entries being written: while the page lives, a lock is given up only after them.
  let written: Promise<unknown> | undefined;

  const lose = (count: number, why: string) =>
    count && (dropped[why] = (dropped[why] || 0) + count);
  const online = () => scope.navigator.onLine !== false;
  const unsaved = (chunk: Chunk) => chunk.items && chunk.saved < chunk.items.length;
  /** Take a chunk out of storage, and record in the ledger that it left. */
  const forget = (chunk: Chunk) => {
    if (chunk.parts) written = ledger?.(chunk, 1);
    removeChunk(chunk, storage);
  };
  const dequeue = (chunk: Chunk) => {
    chunks = chunks.filter((other) => other != chunk);
    if (open == chunk) open = undefined;
    forget(chunk);
  };
  /** A chunk's request body and bytes; undefined when storage lost it, and it leaves the queue. */
  const bodyOf = (chunk: Chunk) => chunkBody(chunk, context.envelope(), storage) || dequeue(chunk);
  const arm = (delay: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = open = undefined;
      void drain();
    }, delay);
  };

  // Storage is written on a short timer (a crash loses at most that much), each time with what a
  // chunk got since the last time, as a new part; at page exit too, and the timer then finds none.
  const persist = () => {
    persistTimer = undefined;
    lose(
      trimQueue(chunks, maxStoredMessages, maxStoredBytes, bodyOf, sending),
      'over maxStoredMessages or maxStoredBytes',
    );
    for (const chunk of chunks) {
      if (chunk == sending || !chunk.items) continue;
      if (!chunk.items.length) dequeue(chunk);
      else if (held[chunk.owner] && unsaved(chunk)) saveChunk(chunk, storage);
    }
  };

  // Send the chunks whose lock we hold, one request at a time, in order, until a retry must wait.
  const drain = (): Promise<void> =>
    (draining ||= (async () => {
      await 0; // `draining` is set before this ends
      for (
        let chunk;
        !(failures && timer) &&
        (chunk = chunks.find((chunk) => chunk != open && (held[chunk.owner] || !storage)));
      ) {
        // No usable log server yet: the messages wait, and the queue looks again later.
        if (!context.endpoint()) {
          if (!timer) arm(flushInterval);
          break;
        }
        // A lease lost while the page was frozen: another tab may be sending these. Ask again.
        if (storage && !locks[chunk.owner]!(1)) {
          release(chunk.owner, 1);
          continue;
        }
        const [body, bytes = 0] = bodyOf(chunk) || [];
        if (!body) continue;
        const count = (chunk.items as string[]).length;
        let response;
        if (Date.now() - chunk.number > maxMessageAge) lose(count, 'older than maxMessageAge');
        else {
          if (online()) {
            // A keepalive request survives the page: at exit it counts as handed over. It can fail
            // where a plain one would not (the app shares its quota), so retries alternate.
            keepaliveBytes = failures & 1 || bytes > KEEPALIVE_QUOTA ? 0 : bytes;
            sending = chunk;
            response = await postLog(context, body, !!keepaliveBytes);
            // Chromium fails keepalive fetches just before pagehide, yet sends them: let it count.
            if (!response && keepaliveBytes) await new Promise((resolve) => setTimeout(resolve));
            sending = undefined;
            keepaliveBytes = 0;
          }
          const status = response?.status || 0;
          context.debug(
            count + ' messages ' + (status ? 'sent: ' + status : 'failed: Network error'),
          );
          // No answer twice, once without keepalive (quota): the server is down, or CORS hides it.
          if (!status && failures & 1 && !told) {
            told = true;
            console.error(
              `[loupe-agent] No answer from ${context.endpoint()}: is it up? On another origin, it must answer with Access-Control-Allow-Origin and Access-Control-Allow-Headers.`,
            );
          }
          if (shouldRetry(status)) {
            arm(retryDelay(++failures, response?.headers.get('Retry-After')));
            persist(); // Sent before the storage timer ran, it may not be stored yet.
            // Not ours: let its tab, if it came back, have it meanwhile; then ask again.
            if (chunk.owner != me) release(chunk.owner, 1);
            break;
          }
          failures = 0;
          if (status > 299)
            console.warn(
              '[loupe-agent] the log server refused ' + count + ' messages (' + status + ').',
            );
        }
        dequeue(chunk);
      }
      for (const owner in held)
        if (owner != me && !chunks.some((chunk) => chunk.owner == owner)) release(owner);
      draining = undefined;
    })());

  const stored = () => storedChunks(storage!.keys());
  const webLocks = () => scope.navigator.locks;
  const want = (owner: string) => {
    const lock = (locks[owner] ||= requestLock(webLocks(), storage!, me, owner, async () => {
      // The lock on `owner`'s messages is ours: queue what storage holds of them, in order, unless
      // memory has it, or the ledger says it left (which localStorage may not show yet).
      const found: Chunk[] = [];
      for (const chunk of stored())
        if (
          chunk.owner == owner &&
          !chunks.some((other) => partKey(other) == partKey(chunk)) &&
          !(ledger && (await ledger(chunk)))
        )
          found.push(chunk);
      if (ledger && locks[owner] != lock) return; // given up while the ledger was read
      held[owner] = true;
      if (owner == me) markReady?.();
      chunks.push(...found);
      chunks.sort((a, b) => a.number - b.number);
      void drain();
    }));
  };
  const resume = () => {
    gone = false;
    ready = new Promise((resolve) => (markReady = resolve));
    want(me);
    for (const chunk of stored()) want(chunk.owner);
  };
  // Give back a session's lock, and ask `again` for it. Its messages leave the queue unless only
  // memory holds them: whoever takes the lock next reads the others from storage.
  const release = (owner: string, again?: unknown) => {
    // `written` resolves to undefined, which the lock takes as "give up".
    if (written && !gone) void written.then(locks[owner]);
    else locks[owner]?.();
    delete locks[owner];
    delete held[owner];
    chunks = chunks.filter((chunk) => chunk.owner != owner || unsaved(chunk));
    if (again) want(owner);
  };
  const releaseAll = () => {
    for (const owner in locks) release(owner);
    markReady?.();
  };

  /**
   * Page exit (hidden, pagehide; each may fire more than once): what fits the page's keepalive
   * quota goes to beacons, the rest (the request in flight included) is stored for the next page,
   * as docs/delivery.md tells; while the server is failing or the browser is offline, all of it.
   */
  const leave = (leaving: boolean) => {
    const failing = storage && (failures || !online());
    const url = context.endpoint();
    if (sending && unsaved(sending)) saveChunk(sending, storage);
    if (failing || !url) persist();
    else if (keepaliveBytes && 'keepalive' in Request.prototype) forget(sending!);
    open = undefined;
    for (const chunk of chunks) {
      // Only our own unsaved chunks can be in the queue without their lock (see `release`).
      if (!url || chunk == sending || (failing && !unsaved(chunk))) continue;
      const [body, bytes = 0] = bodyOf(chunk) || [];
      // What does not fit the quota left stays stored, and holds back none of the smaller ones.
      if (!body || beaconBytes + bytes > KEEPALIVE_QUOTA - keepaliveBytes) continue;
      if (!postLogOnExit(context, body)) break;
      beaconBytes += bytes;
      dequeue(chunk);
    }
    persist();
    // A page in the back/forward cache must hold no lock. What it stored is free for others
    // meanwhile, so it reads it again when it comes back.
    if ((gone ||= leaving)) releaseAll();
  };

  return {
    enqueue(json, bytes) {
      if (!open || open.bytes + bytes > MAX_MESSAGE_BYTES) {
        // What came before (a full batch) goes out at once.
        void drain();
        lastNumber = Math.max(lastNumber + 1, Date.now());
        chunks.push((open = createChunk(me, lastNumber, [])));
      }
      open.bytes += bytes + 1;
      if ((open.items as string[]).push(json) >= batchSize) {
        open = undefined;
        void drain();
      } else if (!timer) arm(flushInterval);
      persistTimer ||= setTimeout(persist, 100);
      if (gone) leave(true);
    },
    flush() {
      open = undefined;
      return ready.then(drain);
    },
    queued: () => chunks.flatMap((chunk) => chunk.items || []).length,
    takeDropped() {
      const taken = dropped;
      dropped = {};
      return taken;
    },
    onPage(event) {
      if (event == 'visible') beaconBytes = 0;
      else if (event != 'restore') leave(event == 'exit');
      else if (storage) resume();
    },
    start() {
      ledger =
        (storage = openStorage(scope, 'localStorage')) && openSentLedger(scope, maxMessageAge);
      if (storage) resume();
      const stops = [
        // Back online: send at once, without waiting out the backoff.
        listen(scope, 'online', () => arm((failures = 0))),
        // Another tab stored messages: want its lock. Only the changed key is read, not all keys.
        listen(scope, 'storage', (event: StorageEvent) => {
          for (const chunk of storedChunks([event.newValue && event.key]))
            if (storage) want(chunk.owner);
        }),
      ];
      return () => {
        for (const stop of stops) stop();
        // The queue lives in memory only from now on (`release` keeps what memory has); what
        // other pages left stays for them.
        for (const chunk of chunks)
          if (chunk.items && chunk.owner == me) removeChunk(chunk, storage);
        releaseAll();
        storage = undefined;
        gone = false;
      };
    },
    stop() {
      clearTimeout(timer);
      clearTimeout(persistTimer);
      timer = persistTimer = undefined;
    },
  };
}
