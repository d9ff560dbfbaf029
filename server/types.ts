import type { IncomingMessage } from 'node:http';

/** Severity numbers of the contract: 1 critical, 2 error, 4 warning, 8 information, 16 verbose. */
export type LogSeverity = 1 | 2 | 4 | 8 | 16;

/** The `exception` of a received message. */
export interface ReceivedException {
  message?: string | null;
  url?: string | null;
  stackTrace?: string[] | null;
  cause?: string | null;
  line?: number | null;
  column?: number | null;
}

/** The `methodSourceInfo` of a received message. */
export interface ReceivedSourceInfo {
  file?: string | null;
  class?: string | null;
  method?: string | null;
  line?: number | null;
  column?: number | null;
}

/** One entry of `logMessages`, as accepted: contract fields only, unknown properties dropped. */
export interface ReceivedMessage {
  severity: LogSeverity;
  category?: string | null;
  caption?: string | null;
  description?: string | null;
  parameters?: unknown[] | null;
  /** JSON text. */
  details?: string | null;
  exception?: ReceivedException | null;
  methodSourceInfo?: ReceivedSourceInfo | null;
  /** ISO 8601 with an offset, as the browser wrote it. */
  timeStamp: string;
  sequence: number;
  sessionId?: string | null;
  agentSessionId?: string | null;
}

/** `session.client`: what the agent says about the browser. */
export interface ClientDescription {
  description?: string | null;
  layout?: string | null;
  manufacturer?: string | null;
  name?: string | null;
  prerelease?: string | null;
  product?: string | null;
  ua?: string | null;
  version?: string | null;
  os?: { architecture?: number; family?: string | null; version?: string | null } | null;
  size?: { width?: number; height?: number } | null;
}

/** The `session` block of a log request. */
export interface LogRequestSession {
  currentAgentSessionId?: string | null;
  client?: ClientDescription | null;
}

/** A log request body that passed validation. */
export interface LogRequest {
  session?: LogRequestSession | null;
  logMessages: ReceivedMessage[];
}

/** The session ids a request carries. */
export interface LoupeIds {
  /** The `loupesessionid` header, else the `LoupeSessionId` cookie, else the id just issued. */
  sessionId: string | undefined;
  /** The `loupe-agent-sessionId` header: the browser tab's agent session. */
  agentSessionId: string | undefined;
}

/** One accepted log request, handed to the store. */
export interface LogBatch {
  /** When the server accepted it (ISO 8601, UTC). */
  receivedAt: string;
  /** The ids of the HTTP request that delivered the batch. */
  sessionId: string | undefined;
  agentSessionId: string | undefined;
  /** The body's `session` block, when it had one. */
  session: LogRequestSession | undefined;
  /**
   * The messages. A message without its own `sessionId`/`agentSessionId` gets the request's ones
   * (and the body's `session.currentAgentSessionId`), as the Loupe servers do.
   */
  messages: ReceivedMessage[];
}

/** Where accepted batches go. The log request is answered once `saveBatch` has returned (or resolved). */
export interface LoupeStore {
  saveBatch(batch: LogBatch): void | Promise<void>;
}

/** Which browser origins may post logs cross-origin: exact origins, RegExps, or a function. */
export type AllowedOrigins =
  string | RegExp | ReadonlyArray<string | RegExp> | ((origin: string) => boolean);

/**
 * Options of `createLoupeMiddleware`. All are optional.
 *
 * @example
 * createLoupeMiddleware({
 *   store: { saveBatch: (batch) => console.log(batch.messages) },
 *   allowedOrigins: ['https://app.example.com'],
 *   maxBodyBytes: 512 * 1024,
 * });
 */
export interface LoupeServerOptions {
  /** Path of the log endpoint. Default `/loupe/log`. */
  path?: string;
  /** Receives every accepted batch. Default: an in-memory store keeping the last 1000 batches. */
  store?: LoupeStore;
  /** Largest accepted body in bytes; larger ones get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Origins allowed to post logs from another origin (CORS). Default: none, same-origin only. */
  allowedOrigins?: AllowedOrigins;
  /** `Access-Control-Max-Age` of preflight answers, in seconds. Default 600. */
  corsMaxAge?: number;
  /**
   * Whether a request without a session id gets a new `LoupeSessionId` cookie. Default: page
   * requests (GET or HEAD asking for HTML). `false` never issues one.
   */
  issueSessionCookie?: boolean | ((request: IncomingMessage) => boolean);
  /** Called when the store fails; the request is answered 500. Default: `console.error`. */
  onStoreError?: (error: unknown) => void;
}
