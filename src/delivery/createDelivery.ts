import { utf8Length } from '../message/sizeBudget';
import { type TransportContext, createTransport } from '../transport/createTransport';
import type { AgentOptions } from '../types';
import { type Restore, listen } from '../util/patch';
import { type SafeStorage, openStorage } from '../util/safeStorage';
import { type Chunk, chunkOfKey, createChunk, trimQueue } from './queue';
import { type RequestLock, createLockRequester } from './requestLock';
import { retryDelay, shouldRetry } from './retry';

/** What delivery needs from the agent. */
export interface DeliveryContext extends TransportContext {
  options: Readonly<AgentOptions>;
  agentSessionId: string;
  /** The body up to the messages: `{"session":{...},"logMessages":[`. */
  envelope(): string;
  /** Log a warning message that some messages were dropped. */
  report(text: string): void;
  debug(text: string): void;
}

/** The agent's queue: batches, persists and sends every accepted message. */
export interface Delivery {
  enqueue(json: string, bytes: number): void;
  /** Send what is queued; resolves when it was sent or its attempt failed. */
  flush(): Promise<void>;
  queued(): number;
  /** Persist to localStorage, send what other pages left, send by beacon at page exit. */
  start(): Restore;
  /** Clear the timers. */
  stop(): void;
}

// A beacon carries at most 64 KiB, and all keepalive requests in flight on a page share 64 KiB.
const KEEPALIVE_QUOTA = 65536;
// Batches hold at most 60 KiB of messages so that, with the envelope, they fit one beacon.
const MAX_BATCH_BYTES = 61440;
// Storage is written on this timer, not on every log call: a crash loses at most this much.
const PERSIST_DELAY = 100;

export function createDelivery(context: DeliveryContext): Delivery {
  const { options, scope } = context;
  const me = context.agentSessionId;
  const maxAge = options.maxMessageAge ?? 864e5;
  const transport = createTransport(context);
  // In sending order; each owner's chunks by number.
  let chunks: Chunk[] = [];
  // The chunk taking new messages; it is sent at the next flush.
  let open: Chunk | undefined;
  let storage: SafeStorage | undefined;
  let requestLock: RequestLock;
  // Lock requests by owner (pending or held), and the owners whose lock we hold: only those
  // chunks are sent. Without storage nobody else sees our messages: our lock is as good as held.
  const locks: Record<string, () => void> = {};
  let held: Record<string, boolean> = { [me]: true };
  let ready = Promise.resolve();
  let markReady = () => {};
  let draining: Promise<void> | undefined;
  let sending: Chunk | undefined;
  // Body size of the request in flight if it was sent with keepalive, else 0; and what beacons
  // took since the page was last visible (they may still be in flight).
  let keepaliveBytes = 0;
  let beaconBytes = 0;
  let failures = 0;
  let retryAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let persistTimer: ReturnType<typeof setTimeout> | undefined;
  let lastNumber = 0;
  // Set at pagehide: what is logged later (by other pagehide listeners) goes by beacon at once.
  let gone = false;
  const dropped: Record<string, number> = {};

  const lose = (count: number, why: string) => {
    if (count) dropped[why] = (dropped[why] ?? 0) + count;
  };
  const remove = (chunk: Chunk) => {
    chunks = chunks.filter((other) => other != chunk);
    if (open == chunk) open = undefined;
    storage?.remove(chunk.key);
  };
  const arm = (delay: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = open = undefined;
      retryAt = 0;
      void drain();
    }, delay);
  };
  const bodyOf = (items: string[]) => context.envelope() + items.join(',') + ']}';

  const persist = () => {
    clearTimeout(persistTimer);
    persistTimer = undefined;
    lose(
      trimQueue(
        chunks,
        me,
        options.maxStoredMessages ?? 5000,
        options.maxStoredBytes ?? 1048576,
        sending,
      ),
      'over maxStoredMessages or maxStoredBytes',
    );
    for (const chunk of chunks) {
      const items = chunk.items;
      if (chunk == sending || !items) continue;
      if (!items.length) remove(chunk);
      else if (storage && held[chunk.owner] && !chunk.saved)
        chunk.saved = storage.set(chunk.key, items.join(','));
    }
  };

  /** Read a chunk's messages; a chunk gone from storage (another tab sent it) leaves the queue. */
  const load = (chunk: Chunk) => {
    const value = storage?.get(chunk.key);
    try {
      if (value) {
        chunk.bytes = utf8Length(value) + 1;
        return (chunk.items = (JSON.parse('[' + value + ']') as object[]).map((message) =>
          JSON.stringify(message),
        ));
      }
    } catch {}
    remove(chunk);
  };

  /** Send one chunk. False when it must be tried again later: nothing is sent until then. */
  const send = async (chunk: Chunk): Promise<boolean> => {
    const items = chunk.items || load(chunk);
    if (!items) return true;
    if (Date.now() - chunk.number > maxAge) {
      lose(items.length, 'older than maxMessageAge');
      remove(chunk);
      return true;
    }
    let status = 0;
    let retryAfter: string | null = null;
    if (scope.navigator.onLine !== false) {
      const body = bodyOf(items);
      const bytes = utf8Length(body);
      // A keepalive request survives the page, so at page exit it counts as handed over. It can
      // fail where a plain one would not (the quota is shared with the app), so retries alternate.
      keepaliveBytes = bytes <= KEEPALIVE_QUOTA && !(failures & 1) ? bytes : 0;
      sending = chunk;
      [status, retryAfter] = await transport.post(body, !!keepaliveBytes);
      // A page that unloads fails its keepalive fetches just before pagehide, though they go on
      // in the browser: give pagehide the chance to count this one as handed over.
      if (!status && keepaliveBytes) await new Promise((resolve) => setTimeout(resolve));
      sending = undefined;
      keepaliveBytes = 0;
    }
    context.debug('sent ' + items.length + ' messages: ' + (status || 'network error'));
    if (shouldRetry(status)) {
      const delay = retryDelay(++failures, retryAfter, Date.now(), Math.random());
      retryAt = Date.now() + delay;
      arm(delay);
      // Not ours: let its tab, if it came back, have it meanwhile; then ask again.
      if (chunk.owner != me) {
        release(chunk.owner);
        want(chunk.owner);
      }
      return false;
    }
    failures = 0;
    if (status > 299)
      console.warn(
        'Loupe agent: the log server refused ' + items.length + ' messages (' + status + ').',
      );
    remove(chunk);
    return true;
  };

  const drain = (): Promise<void> =>
    (draining ||= (async () => {
      await 0; // `draining` is set before this ends
      try {
        for (
          let chunk;
          retryAt <= Date.now() &&
          (chunk = chunks.find((chunk) => chunk != open && held[chunk.owner])) &&
          (await send(chunk));
        );
        for (const why in dropped) {
          context.report(dropped[why] + ' log messages were dropped: ' + why + '.');
          delete dropped[why];
        }
        // Give back the locks of other sessions once their messages are sent.
        for (const owner in held)
          if (owner != me && !chunks.some((chunk) => chunk.owner == owner)) release(owner);
      } finally {
        draining = undefined;
      }
    })());

  const stored = () => (storage as SafeStorage).keys().flatMap((key) => chunkOfKey(key) ?? []);
  /** The lock on `owner`'s messages is ours: queue what storage holds of them, in order. */
  const granted = (owner: string) => {
    held[owner] = true;
    if (owner == me) markReady();
    chunks = chunks
      .filter((chunk) => chunk.owner != owner || (chunk.items && !chunk.saved) || chunk == sending)
      .concat(stored().filter((chunk) => chunk.owner == owner))
      .sort((a, b) => a.number - b.number);
    void drain();
  };
  const want = (owner: string) => {
    locks[owner] ||= requestLock(owner, () => granted(owner));
  };
  /** Take our own lock, and wait for the lock of every session that left messages. */
  const resume = () => {
    gone = false;
    ready = new Promise((resolve) => (markReady = resolve));
    want(me);
    for (const chunk of stored()) want(chunk.owner);
  };
  /** Give back another session's lock; what storage holds of it leaves the queue. */
  const release = (owner: string) => {
    locks[owner]?.();
    delete locks[owner];
    delete held[owner];
    chunks = chunks.filter((chunk) => chunk.owner != owner || (chunk.items && !chunk.saved));
  };
  const releaseAll = () => {
    for (const owner in locks) {
      (locks[owner] as () => void)();
      delete locks[owner];
    }
    held = {};
    markReady();
  };

  /**
   * Page exit (hidden, pagehide; each may fire more than once): hand what is queued to beacons
   * within the page's keepalive quota and persist the rest for the next page. Only what a beacon
   * took, or what is in flight with keepalive, leaves storage.
   */
  const leave = (leaving: boolean) => {
    const budget = KEEPALIVE_QUOTA - keepaliveBytes;
    if (keepaliveBytes) {
      storage?.remove((sending as Chunk).key);
      (sending as Chunk).saved = false;
    }
    open = undefined;
    for (const chunk of chunks) {
      if (chunk == sending || !(held[chunk.owner] || (chunk.items && !chunk.saved))) continue;
      const items = chunk.items || load(chunk);
      if (!items) continue;
      const body = bodyOf(items);
      const bytes = utf8Length(body);
      if (beaconBytes + bytes > budget || !transport.beacon(body)) break;
      beaconBytes += bytes;
      remove(chunk);
    }
    persist();
    if ((gone ||= leaving)) {
      // A page in the back/forward cache must hold no lock. What it stored is free for others
      // meanwhile, so it reads it again when it comes back.
      releaseAll();
      for (const chunk of chunks) if (chunk.saved && chunk != sending) chunk.items = undefined;
    }
  };

  return {
    enqueue(json, bytes) {
      if (!open || open.bytes + bytes > MAX_BATCH_BYTES) {
        if (open) void drain();
        lastNumber = Math.max(lastNumber + 1, Date.now());
        chunks.push((open = createChunk(me, lastNumber, [])));
      }
      const items = open.items as string[];
      items.push(json);
      open.bytes += bytes + 1;
      open.saved = false;
      if (items.length >= (options.batchSize ?? 500)) {
        open = undefined;
        void drain();
      } else if (!timer) arm(options.flushInterval ?? 1000);
      persistTimer ||= setTimeout(persist, PERSIST_DELAY);
      if (gone) leave(true);
    },
    flush() {
      open = undefined;
      return ready.then(drain);
    },
    queued: () => chunks.reduce((count, chunk) => count + (chunk.items?.length ?? 0), 0),
    start() {
      storage = openStorage(scope, 'localStorage');
      if (storage) {
        requestLock = createLockRequester(scope.navigator.locks, storage, me);
        held = {};
        resume();
      }
      const document = scope.document;
      const stops = [
        listen(scope, 'online', () => {
          failures = 0;
          arm(0);
        }),
        listen(scope, 'pagehide', () => leave(true)),
        listen(scope, 'pageshow', (event: PageTransitionEvent) => {
          if (event.persisted && storage) resume();
        }),
        listen(document, 'visibilitychange', () => {
          if (document.visibilityState == 'hidden') leave(false);
          else beaconBytes = 0;
        }),
        // Another tab stored messages: if it closes before sending them, its lock frees.
        listen(scope, 'storage', (event: StorageEvent) => {
          const chunk = event.newValue && chunkOfKey(event.key);
          if (chunk && storage) want(chunk.owner);
        }),
      ];
      return () => {
        for (const stop of stops) stop();
        releaseAll();
        // From now on the queue lives in memory only; what other pages left stays for them.
        chunks = chunks.filter((chunk) => chunk.items && chunk.owner == me);
        for (const chunk of chunks) {
          storage?.remove(chunk.key);
          chunk.saved = false;
        }
        storage = undefined;
        held = { [me]: true };
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
