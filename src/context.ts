import type { RequestOutcome } from './instrument/requestOutcome';
import type { WriteArguments } from './message/createMessage';
import type { AgentOptions, Severity } from './types';
import type { Observable } from './util/createObservable';
import type { Restore } from './util/patch';

/** The page the agent runs in. */
export type Scope = Window & typeof globalThis;

/**
 * What the agent shares with its collectors (request patches, error capture). One per agent:
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
  propagatesErrors(): boolean;
  /** Keep `restore` for `uninstall()`; a non-empty name shows in `diagnostics().patches`. */
  track(name: string, restore: Restore | undefined): void;
  /**
   * How app requests end. The request patches publish every request that may have failed (a
   * network error, an abort, a status of 400 or more); while nobody subscribes, they add no
   * completion tracking at all.
   */
  readonly requestOutcomes: Observable<RequestOutcome>;
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
