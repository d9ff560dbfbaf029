/** Severity numbers as the Loupe server expects them. */
export type Severity = 1 | 2 | 4 | 8 | 16;

/** A header added to every log request the agent sends (see `addHeader`). */
export interface Header {
  name: string;
  value: string;
}

/** The header the server reads to link a request to the agent session (seed: `clientSessionHeader()`). */
export interface ClientSessionHeader {
  headerName: 'loupe-agent-sessionId';
  headerValue: string;
}

/** Where in the source a message was written. Line and column are whole numbers or null. */
export interface MethodSourceInfoShape {
  file?: string | undefined;
  class?: string | undefined;
  method?: string | undefined;
  line?: number | null | undefined;
  column?: number | null | undefined;
}

/** The `exception` of a log message, as the server binds it. */
export interface LogException {
  message: string;
  url: string;
  stackTrace: string[];
  cause: string;
  line: number | null;
  column: number | null;
}

/** One entry of `logMessages` in the request body. Names are case-sensitive on the server. */
export interface LogMessage {
  severity: Severity;
  category: string;
  caption: string;
  description: string;
  parameters?: unknown[];
  details?: string;
  exception?: LogException;
  methodSourceInfo?: MethodSourceInfoShape;
  timeStamp: string;
  sequence: number;
  agentSessionId: string;
  sessionId?: string;
}

/**
 * The agent's context on a message: the page it was written on (origin, path and query, secrets
 * scrubbed), the app's `release` and what `setContext` added. On the wire it is inside the
 * message's `details` JSON text, under the key `"loupe"`.
 */
export interface MessageContext {
  page: string;
  release?: string;
  context?: Record<string, unknown>;
}

/** A message as `beforeSend` sees it: the message as it will be sent, and its context apart. */
export type OutgoingMessage = LogMessage & { loupe?: MessageContext };

/** Matches text: a string anywhere in it, or a RegExp tested against it. */
export type TextPattern = string | RegExp;

/** Which requests carry the correlation headers besides same-origin and the log server. */
export type PropagationTarget = string | RegExp;
export type PropagateTo =
  PropagationTarget | readonly PropagationTarget[] | ((url: URL) => boolean);

/**
 * Options for `createAgent` and `install`. Every option is optional: with none, the agent logs to
 * `/loupe/log` on the page's own origin.
 *
 * @example
 * install({
 *   logServer: 'https://logs.example.com',
 *   propagateTo: ['https://api.example.com', /\.example\.com$/],
 *   release: '2.4.1',
 *   ignoreErrors: ['Request aborted', /^NetworkError/],
 *   denyUrls: [/\/vendor\//],
 *   minSeverity: 'information',
 *   beforeSend(message) {
 *     delete message.loupe?.context?.email;
 *     return message.category == 'Noise' ? null : message;
 *   },
 *   errorLimits: { perSignature: 5, perMinute: 60 },
 *   debug: false,
 * });
 */
export interface AgentOptions {
  /** Origin (or base URL) of the Loupe server. Log requests go to `{logServer}/loupe/log`. Default: the page's origin. */
  logServer?: string;
  /** Send cookies with log requests to a cross-origin log server (`credentials: 'include'`). Default false. */
  credentials?: boolean;
  /** Extra origins whose requests carry the correlation headers: origin strings, RegExps tested against the origin, or a function of the resolved URL. */
  propagateTo?: PropagateTo;
  /** Add the correlation headers to the app's fetch, XMLHttpRequest and jQuery requests on `install()`. Default true. */
  propagate?: boolean;
  /** Capture uncaught errors and unhandled rejections on `install()`. Default true. */
  captureErrors?: boolean;
  /** Log failed ajax calls: `'5xx'` (network errors and 5xx, the default), `'4xx'` (also 4xx), or `false`. */
  captureFailedRequests?: '5xx' | '4xx' | false;
  /** When false, uncaught errors and unhandled rejections are not printed by the browser (the older agents' default). Default true. */
  propagateOnError?: boolean;
  /**
   * Most errors and failed requests logged per minute: `perSignature` of one kind (same name,
   * message and place; default 5) and `perMinute` in all (default 60). Those over the limits are
   * counted and reported in one "Errors not logged" message a minute later.
   */
  errorLimits?: { perSignature?: number; perMinute?: number };
  /** Largest accepted message in bytes of JSON. Larger details are truncated, then the message is dropped. Default and most 61440 (60 KiB), so that every message fits a beacon. */
  maxMessageSize?: number;
  /** Most messages in one log request; a batch is also sent when it reaches 60 KiB. Default 500. */
  batchSize?: number;
  /** Milliseconds a message may wait for more to share its request. Default 1000. */
  flushInterval?: number;
  /** Most messages kept unsent (in memory and localStorage); past it the oldest are dropped and reported. Default 5000. */
  maxStoredMessages?: number;
  /** Most bytes of JSON kept unsent; past it the oldest messages are dropped and reported. Default 1048576 (1 MiB). */
  maxStoredBytes?: number;
  /** Milliseconds after which an unsent message is dropped and reported. Default 86400000 (a day). */
  maxMessageAge?: number;
  /**
   * `error` and `unhandledrejection` events that happened before `install()`, logged at install
   * like the ones the agent sees itself (the inline snippet hands its queue to the drop-in here).
   */
  earlyErrors?: ArrayLike<Event>;
  /** The app's version, recorded on every message. */
  release?: string;
  /**
   * Called for every message (the app's and the agent's own) after assembly, before it is queued
   * or stored: return it, changed or not, to send it; `null` or `false` drop it. A hook that
   * throws drops the message (the console says so once). The agent's context is in
   * `message.loupe`; what the hook leaves there goes into the details.
   */
  beforeSend?: (message: OutgoingMessage) => OutgoingMessage | LogMessage | null | false;
  /** Errors whose message contains one of these strings, or matches one of these RegExps, are not logged. */
  ignoreErrors?: TextPattern | readonly TextPattern[];
  /** Errors thrown in scripts whose URL matches one of these are not logged. */
  denyUrls?: TextPattern | readonly TextPattern[];
  /** When given, only errors thrown in scripts whose URL matches one of these are logged (and errors whose script is unknown). */
  allowUrls?: TextPattern | readonly TextPattern[];
  /** Drop errors thrown only in browser extensions, and `ResizeObserver loop` notices. Default true. */
  noiseFilters?: boolean;
  /** Messages less severe than this (a name or number) are not logged. Default: every severity. */
  minSeverity?: Severity | Exclude<keyof LogMessageSeverityMap, 'none'>;
  /** Print what the agent does to the console. Default false. */
  debug?: boolean;
}

/** What `diagnostics()` reports. */
export interface Diagnostics {
  agentSessionId: string;
  sessionId: string;
  logServer: string;
  installed: boolean;
  patches: string[];
  queued: number;
  /** Messages not logged, by the filter that dropped them: `minSeverity`, `ignoreErrors`, `denyUrls`, `allowUrls`, `noise` or `beforeSend`. */
  dropped: Record<string, number>;
}

export type LogMethod = (
  category: string,
  caption: string,
  description?: string,
  parameters?: unknown[] | null,
  exception?: unknown,
  details?: unknown,
  methodSourceInfo?: MethodSourceInfoShape | null,
) => void;

/** The legacy `MethodSourceInfo(file, method, line, column)` constructor. */
export interface MethodSourceInfoConstructor {
  new (file: string, method: string, line?: number, column?: number): MethodSourceInfoShape;
  (file: string, method: string, line?: number, column?: number): MethodSourceInfoShape;
}

export interface LogMessageSeverityMap {
  readonly none: 0;
  readonly critical: 1;
  readonly error: 2;
  readonly warning: 4;
  readonly information: 8;
  readonly verbose: 16;
}

/** The agent: the older Loupe agents' API plus `install`, `uninstall`, `flush` and `diagnostics`. */
export interface Agent {
  verbose: LogMethod;
  information: LogMethod;
  warning: LogMethod;
  error: LogMethod;
  critical: LogMethod;
  write(
    severity: Severity | keyof LogMessageSeverityMap,
    category: string,
    caption: string,
    description?: string,
    parameters?: unknown[] | null,
    exception?: unknown,
    details?: unknown,
    methodSourceInfo?: MethodSourceInfoShape | null,
  ): void;
  /** Log an error (any thrown value) with category `JavaScript` unless given, severity error. */
  recordException(error: unknown, details?: unknown, category?: string): void;
  /** Use this session id instead of the `LoupeSessionId` cookie, in messages and in the `LoupeSessionId` request header. */
  setSessionId(id: string): void;
  clientSessionHeader(): ClientSessionHeader;
  /** Send log requests to this server instead of the page's origin. `null` or `''` returns to the page's origin. */
  setLogServer(url: string | null, credentials?: boolean): void;
  /** Add `name` with `value` to the context of every later message; `undefined` removes it. */
  setContext(name: string, value: unknown): void;
  /** Older name of `setLogServer`. */
  corsOrigin(url: string | null): void;
  /** Add a header to every log request (not to the app's requests). */
  addHeader(header: Header): void;
  /** When false, the agent cancels the `error` and `unhandledrejection` events so the browser does not print them. Read at each error. */
  propagateOnError: boolean;
  readonly logMessageSeverity: LogMessageSeverityMap;
  readonly MethodSourceInfo: MethodSourceInfoConstructor;
  /**
   * Give this jQuery's ajax calls the correlation headers through a prefilter: for a jQuery loaded
   * after `install()`, or each copy when a page has several. The `loupe-agent/jquery` plugin
   * calls it for you.
   */
  registerJQuery(jQuery: { ajaxPrefilter: (...args: any[]) => unknown }): void;
  /** Hook the agent into the page: request headers, error capture, page-exit delivery. Idempotent. */
  install(): Agent;
  /** Undo `install()`: restore every patched global and remove every listener. */
  uninstall(): void;
  /** Send everything queued now. Resolves when those requests have finished, or at once while a retry waits. */
  flush(): Promise<void>;
  diagnostics(): Diagnostics;
}
