import type { Restore } from '../util/patch';

/** What the sender needs from the agent, read at send time so later settings apply. */
export interface SenderContext {
  /** The page's own fetch, captured before any patch, so no instrumentation sees log requests. */
  fetch: typeof fetch | undefined;
  endpoint(): string;
  headers(): Record<string, string>;
  credentials(): RequestCredentials;
  /** The body up to the messages: `{"session":{...},"logMessages":[`. */
  envelope(): string;
  debug(text: string): void;
}

/** Queues serialized messages and sends them in batches to `POST /loupe/log`. */
export interface Sender {
  enqueue(json: string, bytes: number): void;
  flush(): Promise<void>;
  queued(): number;
  stop: Restore;
}

const MAX_BATCH_COUNT = 100;
const MAX_BATCH_BYTES = 60 * 1024;
const FLUSH_DELAY = 1000;

/** A small batching sender. Failed batches with status 0 or 401 are kept for the next flush. */
export function createSender(context: SenderContext): Sender {
  const queue: string[] = [];
  const sizes: number[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending: Promise<void> = Promise.resolve();

  const schedule = () => {
    if (timer === undefined) timer = setTimeout(() => void flush(), FLUSH_DELAY);
  };

  const sendBatch = async (): Promise<boolean> => {
    let count = 0;
    let bytes = 0;
    while (count < queue.length && count < MAX_BATCH_COUNT) {
      const size = sizes[count] as number;
      if (count > 0 && bytes + size > MAX_BATCH_BYTES) break;
      bytes += size + 1;
      count++;
    }
    if (!count || !context.fetch) return false;
    const batch = queue.slice(0, count);
    const body = context.envelope() + batch.join(',') + ']}';
    let status = 0;
    try {
      const response = await context.fetch.call(undefined, context.endpoint(), {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...context.headers() },
        credentials: context.credentials(),
      });
      status = response.status;
    } catch {}
    if (status === 0 || status === 401) {
      context.debug('send failed (' + status + '), keeping ' + count + ' messages');
      return false;
    }
    queue.splice(0, count);
    sizes.splice(0, count);
    if (status >= 200 && status < 300) context.debug('sent ' + count + ' messages');
    else
      console.warn(
        'Loupe agent: the log server answered ' + status + '; ' + count + ' messages were dropped.',
      );
    return true;
  };

  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    sending = sending.then(async () => {
      // Send what was queued when flush was called; a failure leaves the rest for later.
      let remaining = queue.length;
      while (remaining > 0) {
        const before = queue.length;
        if (!(await sendBatch())) return;
        remaining -= before - queue.length;
      }
    });
    return sending;
  };

  return {
    enqueue(json, bytes) {
      queue.push(json);
      sizes.push(bytes);
      if (queue.length >= MAX_BATCH_COUNT) void flush();
      else schedule();
    },
    flush,
    queued: () => queue.length,
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
