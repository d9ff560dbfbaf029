import type { Scope } from '../context';
import type { PageEvent } from '../lifecycle/observePageLifecycle';
import type { AgentOptions } from '../types';
import type { Restore } from '../util/patch';

/** What delivery needs from the agent, read at send time; `endpoint()` is '' while messages wait. */
export interface DeliveryContext {
  scope: Scope;
  options: Readonly<AgentOptions>;
  /** This agent's session id: the owner of the messages it queues. */
  owner: string;
  /** The page's own fetch, captured before any patch, so no instrumentation sees log requests. */
  pageFetch: typeof fetch | undefined;
  endpoint(): string;
  headers(): Record<string, string>;
  requestCredentials(): RequestCredentials;
  /** Whether a beacon may carry a batch: not when the server needs headers given with `addHeader`. */
  beaconable(): boolean;
  /** The body up to the messages: `{"session":{...},"logMessages":[`. */
  envelope(): string;
  debug(text: string): void;
}

/** The agent's queue: batches, persists and sends every accepted message. */
export interface Delivery {
  enqueue(json: string, bytes: number): void;
  /** Send what is queued; resolves when it was sent or its attempt failed. */
  flush(): Promise<void>;
  queued(): number;
  /**
   * How many messages were dropped since the last call, by reason; empty when none. Delivery
   * only counts: the agent reports the counts as a message of its own.
   */
  takeDropped(): Record<string, number>;
  /** Hidden or exit: hand what is queued to beacons, persist the rest. Restore: read storage again. */
  onPage(event: PageEvent): void;
  /** Persist to localStorage and send what other pages left. */
  start(): Restore;
  /** Clear the timers. */
  stop(): void;
}
