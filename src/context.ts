import type { WriteArguments } from './message/createMessage';
import type { AgentOptions, Severity } from './types';
import type { Restore } from './util/patch';

/** The page the agent runs in. */
export type Scope = Window & typeof globalThis;

/** How an instrumented app request ended. */
export interface RequestOutcome {
  kind: 'fetch' | 'xhr';
  method: string;
  /** Absolute URL as requested. */
  url: string;
  /** HTTP status; 0 for a network error. */
  status: number;
  /** Milliseconds from send to the end. */
  duration: number;
  /** The app aborted it (AbortController, xhr.abort()); not a failure. */
  aborted: boolean;
  /** It ran out of time: an XMLHttpRequest's or jQuery's `timeout`, `AbortSignal.timeout()`. */
  timedOut: boolean;
}

/**
 * What the agent shares with its parts (request patches, error capture, delivery). One per agent:
 * everything an agent knows lives here, never in module state.
 */
export interface AgentContext {
  readonly scope: Scope;
  readonly options: Readonly<AgentOptions>;
  /**
   * The headers the agent adds to a request: `loupe-agent-sessionId`, and `LoupeSessionId` once
   * `setSessionId` was called (the server reads it before its cookie, so it goes out only then).
   * The same array until the ids change: callers must not modify it.
   */
  correlationHeaders(): Array<[string, string]>;
  /** Origin of the log server (the page's origin by default). */
  logOrigin(): string;
  /** Build, size-check and queue one message. Never throws. */
  write(severity: Severity, args: WriteArguments): void;
  /** The current value of `agent.propagateOnError`. */
  propagateOnError(): boolean;
  /** Keep `restore` for `uninstall()`; a non-empty name shows in `diagnostics().patches`. */
  track(name: string, restore: Restore | undefined): void;
  debug(text: string): void;
  /**
   * Set by error capture while installed; the request patches call it when an app request ends
   * in a way that may be a failure: a network error, an abort, or a status of 400 or more.
   * Undefined means nobody listens, so the patches add no completion tracking.
   */
  requestFinished?: ((outcome: RequestOutcome) => void) | undefined;
  /**
   * The jQuery objects that got this agent's ajax prefilter, each with its switch (true: on):
   * jQuery cannot remove a prefilter, so uninstall turns it off and a new install back on.
   */
  jQueryPrefilters?: WeakMap<object, boolean>;
  /**
   * The key the XMLHttpRequest patch keeps each request's state under: one per agent, so that the
   * property sites in the patch keep seeing one key however often the agent is installed again.
   */
  xhrStateKey?: symbol;
}
