import type { ClientDescription, LoupeStore, ReceivedMessage } from '../server/index';

/** An HTTP request one of the demo's servers answered, with the Loupe ids it carried. */
export interface RequestRecord {
  /** When it arrived (epoch ms). */
  at: number;
  /** `app` is the demo's own origin; `third-party` the API on another port. */
  server: 'app' | 'third-party';
  method: string;
  url: string;
  status: number;
  durationMs: number;
  sessionId: string | undefined;
  agentSessionId: string | undefined;
  /** The `Origin` header, for cross-origin calls. */
  origin: string | undefined;
}

/** A tab: one agent session, within one session. `id` null groups server requests without one. */
export interface AgentSessionSummary {
  id: string | null;
  firstSeen: number;
  lastSeen: number;
  messages: number;
  errors: number;
  requests: number;
  client: ClientDescription | null;
}

/**
 * A session and its tabs. `id` null groups what arrived without any session id. A tab that was
 * seen with several session ids (after `setSessionId()`) links them into one session: `id` is
 * the first of them, `ids` all of them, oldest first.
 */
export interface SessionSummary {
  id: string | null;
  ids: string[];
  firstSeen: number;
  lastSeen: number;
  messages: number;
  errors: number;
  requests: number;
  agentSessions: AgentSessionSummary[];
}

/** One row of a session's timeline. */
export type TimelineItem =
  | { kind: 'message'; id: number; at: number; message: ReceivedMessage }
  | { kind: 'request'; id: number; at: number; request: RequestRecord };

/** What the demo keeps: the accepted log batches and the requests its servers answered. */
export interface DemoStore extends LoupeStore {
  saveRequest(record: RequestRecord): void;
  sessions(): SessionSummary[];
  /**
   * The newest items of a session, given any of its ids (null: the uncorrelated ones), newest
   * first.
   */
  timeline(sessionId: string | null, limit?: number): TimelineItem[];
  close(): void;
}
