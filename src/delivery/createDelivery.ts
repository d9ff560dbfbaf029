import type { Scope } from '../context';
import { utf8Length } from '../message/sizeBudget';
import type { PageEvent } from '../lifecycle/observePageLifecycle';
import type { AgentOptions } from '../types';
import { type Restore, listen } from '../util/patch';
import { type SafeStorage, openStorage } from '../util/safeStorage';
import { KEEPALIVE_QUOTA, chooseTransport, hasKeepalive, requiresHeaders } from './chooseTransport';
import { createDropCounter } from './createDropCounter';
import { type Chunk, createChunk, partKey, storedChunks, trimQueue } from './queue';
import { type Lock, requestLock } from './requestLock';
import { retryDelay, shouldRetry } from './retry';
import { openSentLedger } from './sentLedger';
import { chunksOverBudget } from './storageBudget';

/**
 * Largest message in UTF-8 bytes of JSON: a batch of one such message, with the request's
 * envelope, still fits a beacon (64 KiB), so that no batch is too big for the page-exit path.
 */
export const MAX_MESSAGE_BYTES = 61440;

/** What delivery needs from the agent; read at send time, so later settings apply. */
export interface DeliveryContext {
  scope: Scope;
  options: Readonly<AgentOptions>;
  agentSessionId: string;
  /** The page's own fetch, captured before any patch, so no instrumentation sees log requests. */
  fetch: typeof fetch | undefined;
  /** The log endpoint; `''` while no usable log server is set: then messages wait. */
  endpoint(): string;
  headers(): Record<string, string>;
  credentials(): RequestCredentials;
  /** The body up to the messages: `{"session":{...},"logMessages":[`. */
  envelope(): string;
  debug(text: string): void;
}

/** The agent's queue: batches, persists and sends every accepted message. */
export interface Delivery {
  enqueue(json: string, bytes: number): void;
  /**
   * Send what is queued; resolves when it was sent or its attempt failed. During a retry's wait,
   * that is once the retry was attempted.
   */
  flush(): Promise<void>;
  queued(): number;
  /**
   * How many messages were dropped since the last call, by reason; undefined when none. Delivery
   * only counts: the agent reports the counts as a message of its own.
   */
  takeDropped(): Record<string, number> | undefined;
  /** Hidden or exit: hand what is queued to beacons, persist the rest. Restore: read storage again. */
  onPage(event: PageEvent): void;
  /** Persist to localStorage and send what other pages left. */
  start(): Restore;
  /** Clear the timers. */
  stop(): void;
}

export function createDelivery(context: DeliveryContext): Delivery {
  // Batches hold at most 60 KiB of messages so that, with the envelope, they fit one beacon.
  const MAX_BATCH_BYTES = 61440;
  // Stored messages are separated by a newline as well as the comma, so a chunk read back
  // splits without parsing: JSON text never holds a raw newline.
  const SEPARATOR = ',\n';
  const TOO_MANY = 'over maxStoredMessages or maxStoredBytes';
  const { options, scope, fetch } = context;
  const {
    batchSize = 500,
    flushInterval = 1000,
    maxMessageAge = 864e5,
    maxStoredMessages = 5000,
    maxStoredBytes = 1048576,
  } = options;
  const me = context.agentSessionId;
  const drops = createDropCounter();
  const lose = drops.count;
  const ledger = openSentLedger(scope);
  const keepalive = hasKeepalive(scope);
  // In sending order; each owner's chunks by number.
  let chunks: Chunk[] = [];
  // The chunk taking new messages; it is sent at the next flush.
  let open: Chunk | undefined;
  let storage: SafeStorage | undefined;
  // Characters of every chunk part in storage, this page's and other pages': the budget is global.
  let sizes: Record<string, number> = {};
  // Lock requests by owner (pending or held), and the owners whose lock we hold: only those
  // chunks are sent. Without storage nobody else sees our messages: they go without a lock.
  const locks: Record<string, Lock> = {};
  const held: Record<string, boolean> = {};
  let ready = Promise.resolve();
  let markReady = () => {};
  let draining: Promise<void> | undefined;
  // The chunk whose request is in flight, its body's bytes when it went with keepalive, and its
  // status once the answer's head arrived (0: failed; undefined: pending).
  let flight: Chunk | undefined;
  let flightKeepalive = 0;
  let flightStatus: number | undefined;
  // What beacons and keepalive requests took at exit since the page was last visible.
  let exitBytes = 0;
  // Failed attempts in a row; while the retry timer of the last one runs, nothing is sent.
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Settles when the pending timer's drain has run: what `flush()` waits for during a retry's wait.
  let timerDrain: Promise<void> = Promise.resolve();
  let persistTimer: ReturnType<typeof setTimeout> | undefined;
  let lastNumber = 0;
  // Set at pagehide: what is logged later (by other pagehide listeners) leaves at once.
  let gone = false;
  let toldCors = false;
  // The ledger writes not known to be committed: a lock is given up only after them.
  let ledgerWrites: Promise<unknown> = Promise.resolve();

  const online = () => scope.navigator.onLine !== false;
  const unsaved = (chunk: Chunk) => chunk.items && chunk.saved < chunk.items.length;
  const removeKey = (key: string) => {
    storage?.remove(key);
    delete sizes[key];
  };
  /** Take a chunk out of storage, or out of the queue as well. */
  const unstore = (chunk: Chunk, remove?: boolean) => {
    if (remove) {
      chunks = chunks.filter((other) => other != chunk);
      if (open == chunk) open = undefined;
    }
    while (chunk.parts) removeKey(partKey(chunk, --chunk.parts));
    chunk.saved = 0;
  };
  /** A chunk left (accepted, handed over or dropped): out of the queue, storage, and on record. */
  const settle = (chunk: Chunk) => {
    unstore(chunk, true);
    if (storage) {
      const written = ledger.add(chunk.owner, chunk.number, Date.now() - maxMessageAge);
      ledgerWrites = ledgerWrites.then(() => written);
    }
  };
  const arm = (delay: number) => {
    clearTimeout(timer);
    timerDrain = new Promise((resolve) => {
      timer = setTimeout(() => {
        timer = open = undefined;
        resolve(drain());
      }, delay);
    });
  };

  /**
   * Write `value` under `key` within the storage budget, which counts every page's chunks:
   * the oldest chunks, whoever wrote them, are dropped (and counted) to make room. Falsy when it
   * was not written (over the budget alone, or the quota is reached); the messages stay in memory.
   */
  const store = (key: string, value: string, chunk: Chunk) => {
    const size = key.length + value.length;
    for (let old of chunksOverBudget(sizes, size, maxStoredBytes, partKey(chunk))) {
      // Ours in memory, or read from storage to count its messages.
      old = chunks.find((other) => partKey(other) == partKey(old)) || old;
      if (bodyOf(old)) lose((old.items as string[]).length, TOO_MANY);
      unstore(old, true);
    }
    return storage?.set(key, value) && (sizes[key] = size);
  };

  /**
   * Storage is written on a short timer, not on every log call (a crash loses at most that
   * much), and each time only with what a chunk got since the last time, as a new part.
   */
  const persist = () => {
    // Also called at page exit: a timer still pending then finds nothing more to write.
    persistTimer = undefined;
    lose(trimQueue(chunks, me, maxStoredMessages, maxStoredBytes, flight), TOO_MANY);
    for (const chunk of chunks) {
      const items = chunk.items;
      if (!items) continue;
      if (!items.length) unstore(chunk, true);
      else if (held[chunk.owner] && unsaved(chunk)) {
        // Trimmed: what storage holds is out of date.
        if (!chunk.saved) unstore(chunk);
        if (store(partKey(chunk, chunk.parts), items.slice(chunk.saved).join(SEPARATOR), chunk)) {
          chunk.parts++;
          chunk.saved = items.length;
        }
      }
    }
  };

  /**
   * The body of a chunk's request and its UTF-8 bytes, its messages read from storage if need be;
   * undefined when it is gone from storage (another tab sent it), and then it leaves the queue.
   * The chunk already counts its messages' bytes with a comma each: the body adds the envelope
   * and `]}` and has one comma fewer, so a body of up to 64 KiB is not scanned again.
   */
  const bodyOf = (chunk: Chunk) => {
    if (!chunk.items) {
      const text = Array.from({ length: chunk.parts }, (_, part) =>
        storage?.get(partKey(chunk, part)),
      )
        .filter(Boolean)
        .join(SEPARATOR);
      if (!text) return unstore(chunk, true);
      chunk.items = text.split(SEPARATOR);
      chunk.saved = chunk.items.length;
      chunk.bytes = utf8Length(text) + 2 - chunk.saved;
    }
    const envelope = context.envelope();
    return [
      envelope + chunk.items.join(',') + ']}',
      utf8Length(envelope) + chunk.bytes + 1,
    ] as const;
  };

  /**
   * POST a body to the log endpoint; undefined for a network error. A string body goes out as
   * text/plain;charset=UTF-8, which needs no CORS preflight: the server reads JSON whatever the
   * content type. The request in flight learns its status as soon as the answer's head arrives.
   */
  const post = async (url: string, body: string, keepalive: boolean, tracked?: boolean) => {
    try {
      const response = await (fetch as typeof globalThis.fetch)(url, {
        method: 'POST',
        body,
        keepalive,
        headers: context.headers(),
        credentials: context.credentials(),
      });
      if (tracked) flightStatus = response.status;
      // Until its answer is read, Chromium counts the request in the page's keepalive quota.
      await response.text().catch(() => {});
      return response;
    } catch {
      if (tracked) flightStatus = 0;
    }
  };

  /**
   * Say once per page that requests to a log server of another origin fail: a server that does
   * not answer CORS requests fails them all as a network error, which the page cannot tell apart.
   */
  const tellCors = (url: string) => {
    try {
      const server = new URL(url, scope.location.href).origin;
      const page = scope.location.origin;
      if (toldCors || server == page || !online()) return;
      toldCors = true;
      console.error(
        '[loupe-agent] Log requests to ' +
          server +
          ' fail. Unless it is down, it must answer them and their preflight with Access-Control-Allow-Origin: ' +
          page +
          ', Access-Control-Allow-Headers: ' +
          Object.keys(context.headers()) +
          (context.credentials() == 'include' ? ', Access-Control-Allow-Credentials: true' : '') +
          '. The messages are kept.',
      );
    } catch {}
  };

  /**
   * Send the chunks whose lock we hold, one request at a time, in order. A failure that calls
   * for a retry stops it: nothing is sent until the retry timer runs out.
   */
  const drain = (): Promise<void> =>
    (draining ||= (async () => {
      await 0; // `draining` is set before this ends
      for (
        let chunk;
        !(failures && timer) &&
        !gone &&
        (chunk = chunks.find((chunk) => chunk != open && (held[chunk.owner] || !storage)));
      ) {
        const url = context.endpoint();
        // No usable log server yet: look again later.
        if (!url) {
          if (!timer) arm(flushInterval);
          break;
        }
        const owner = chunk.owner;
        // A lease lost while the page was frozen: give it up, and read storage again once ours.
        if (storage && !locks[owner]?.holds()) {
          release(owner);
          want(owner);
          continue;
        }
        // Another tab may have sent it: the ledger knows, even where storage is not up to date.
        if (storage && (await ledger.has(owner, chunk.number))) {
          unstore(chunk, true);
          continue;
        }
        // The page may have left or sent it by beacon meanwhile.
        if (gone || !chunks.includes(chunk)) continue;
        const request = bodyOf(chunk);
        if (!request) continue;
        const [body, bytes] = request;
        const count = (chunk.items as string[]).length;
        let response;
        if (Date.now() - chunk.number > maxMessageAge) lose(count, 'older than maxMessageAge');
        else {
          if (online()) {
            const transport = chooseTransport(
              false,
              bytes,
              KEEPALIVE_QUOTA,
              false,
              false,
              keepalive,
              failures,
            );
            flight = chunk;
            flightKeepalive = transport == 'keepalive' ? bytes : 0;
            flightStatus = undefined;
            response = await post(url, body, !!flightKeepalive, true);
            flight = undefined;
          }
          const status = response?.status || 0;
          context.debug(
            (status ? 'sent ' : 'failed to send ') +
              count +
              ' messages: ' +
              (status || 'network error'),
          );
          if (!status) tellCors(url);
          if (shouldRetry(status)) {
            arm(retryDelay(++failures, response?.headers.get('Retry-After')));
            // Not ours: let its tab, if it came back, have it meanwhile; then ask again.
            if (owner != me) {
              release(owner);
              want(owner);
            }
            break;
          }
          failures = 0;
          if (status > 299)
            console.warn(
              '[loupe-agent] the log server refused ' + count + ' messages (' + status + ').',
            );
        }
        settle(chunk);
      }
      // Give back the locks of other sessions once their messages are sent.
      for (const owner in held)
        if (owner != me && !chunks.some((chunk) => chunk.owner == owner)) release(owner);
      draining = undefined;
    })());

  const stored = () => storedChunks((storage as SafeStorage).keys());
  const want = (owner: string) => {
    locks[owner] ||= requestLock(scope.navigator.locks, storage as SafeStorage, me, owner, () => {
      // The lock on `owner`'s messages is ours: queue what storage holds of them, in order,
      // unless memory has it already (not all saved). Messages are read only when sent: if
      // another tab sent them meanwhile, the ledger or storage says so then.
      if (!storage) return;
      held[owner] = true;
      if (owner == me) markReady();
      for (const chunk of stored())
        if (chunk.owner == owner && !chunks.some((other) => partKey(other) == partKey(chunk)))
          chunks.push(chunk);
      chunks.sort((a, b) => a.number - b.number);
      void drain();
    });
  };
  /** Take our own lock, and wait for the lock of every session that left messages. */
  const resume = () => {
    gone = false;
    ready = new Promise((resolve) => (markReady = resolve));
    sizes = {};
    for (const key of (storage as SafeStorage).keys())
      if (storedChunks([key]).length)
        sizes[key] = key.length + ((storage as SafeStorage).get(key) || '').length;
    want(me);
    for (const chunk of stored()) want(chunk.owner);
  };
  /**
   * Give back a session's lock. Its messages leave the queue, unless only memory holds them:
   * storage has the others, and whoever takes the lock next reads them again from there. While
   * the page lives, the lock goes only once the ledger has what was sent: the next holder reads it.
   * At exit the page may not live that long; its writes were started first, and IndexedDB runs
   * transactions in the order they began.
   */
  const release = (owner: string) => {
    const lock = locks[owner];
    delete locks[owner];
    delete held[owner];
    chunks = chunks.filter((chunk) => chunk.owner != owner || unsaved(chunk));
    if (lock)
      if (gone) lock.release();
      else void ledgerWrites.then(lock.release);
  };
  const releaseAll = () => {
    for (const owner in locks) release(owner);
    markReady();
  };

  /**
   * Page exit (hidden, pagehide; each may fire more than once): hand what is queued to beacons
   * within the page's keepalive quota and persist the rest for the next page. Only what a beacon
   * or a keepalive request took, or what the server accepted, leaves storage. While the server is
   * failing or the browser is offline, a beacon would likely be lost: what storage can keep
   * stays there.
   */
  const leave = (exit: boolean) => {
    const failing = storage && (failures || !online());
    const url = context.endpoint();
    // The request in flight: accepted, or still going as a keepalive request the engine carries
    // on; a failed one, or one the engine cancels with the page, stays stored.
    const pending = flightStatus == null ? flightKeepalive : 0;
    if (exit && flight && (pending || (flightStatus && !shouldRetry(flightStatus)))) {
      settle(flight);
      flight = undefined;
    }
    if (failing || !url) persist();
    open = undefined;
    for (const chunk of chunks) {
      // Only our own unsaved chunks can be in the queue without their lock (see `release`).
      if (!url || chunk == flight || (failing && !unsaved(chunk))) continue;
      const request = bodyOf(chunk);
      if (!request) continue;
      const [body, bytes] = request;
      const navigator = scope.navigator;
      const transport = chooseTransport(
        true,
        bytes,
        KEEPALIVE_QUOTA - exitBytes - pending,
        requiresHeaders(context.headers()),
        !!navigator.sendBeacon,
        keepalive,
        failures,
      );
      // None fits what is left of the quota: the smaller ones after it may. A beacon carries no
      // headers: the ids travel in the body.
      if (!transport) continue;
      try {
        if (
          !(transport == 'beacon'
            ? navigator.sendBeacon(url, body)
            : (void post(url, body, true), true))
        )
          break;
      } catch {
        break;
      }
      exitBytes += bytes;
      settle(chunk);
    }
    persist();
    // A page in the back/forward cache must hold no lock. What it stored is free for others
    // meanwhile, so it reads it again when it comes back.
    if ((gone ||= exit)) releaseAll();
  };

  return {
    enqueue(json, bytes) {
      if (!open || open.bytes + bytes > MAX_BATCH_BYTES) {
        // What came before (a full batch) goes out at once.
        void drain();
        lastNumber = Math.max(lastNumber + 1, Date.now());
        chunks.push((open = createChunk(me, lastNumber, [])));
      }
      const items = open.items as string[];
      items.push(json);
      open.bytes += bytes + 1;
      if (items.length >= batchSize) {
        open = undefined;
        void drain();
      } else if (!timer) arm(flushInterval);
      persistTimer ||= setTimeout(persist, 100);
      if (gone) leave(true);
    },
    flush() {
      open = undefined;
      return ready.then(() => (failures && timer ? timerDrain : drain()));
    },
    queued: () => chunks.flatMap((chunk) => chunk.items || []).length,
    takeDropped: drops.take,
    onPage(event) {
      if (event == 'visible') exitBytes = 0;
      else if (event == 'restore') {
        gone = false;
        if (storage) resume();
      } else leave(event == 'exit');
    },
    start() {
      storage = openStorage(scope, 'localStorage');
      if (storage) resume();
      const stops = [
        listen(scope, 'online', () => {
          failures = 0;
          arm(0);
        }),
        // Another tab stored or removed messages: keep the budget's count, and if it closes
        // before sending them, its lock frees. Only the changed key is read: the app's other
        // tabs may change many keys.
        listen(scope, 'storage', (event: StorageEvent) => {
          const key = event.key as string;
          const [chunk] = storedChunks([key]);
          if (!chunk || !storage) return;
          if (event.newValue == null) delete sizes[key];
          else {
            sizes[key] = key.length + event.newValue.length;
            want(chunk.owner);
          }
        }),
      ];
      return () => {
        for (const stop of stops) stop();
        // From now on the queue lives in memory only; what other pages left stays for them.
        // Giving back our own lock then keeps only what memory has (`release`).
        for (const chunk of chunks) if (chunk.items && chunk.owner == me) unstore(chunk);
        // Uninstalled: the locks go at once, like at exit.
        gone = true;
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
