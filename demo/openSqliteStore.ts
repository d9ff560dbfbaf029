import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import sqlite, { type BindValues } from 'node-sqlite3-wasm';
import type { LogBatch } from '../server/index';
import type { AgentSessionSummary, DemoStore, SessionSummary, TimelineItem } from './types';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  session_id TEXT,
  agent_session_id TEXT,
  severity INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_session ON messages (session_id, at);
CREATE TABLE IF NOT EXISTS requests (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  session_id TEXT,
  agent_session_id TEXT,
  status INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_by_session ON requests (session_id, at);
CREATE TABLE IF NOT EXISTS agent_sessions (
  id TEXT PRIMARY KEY,
  client TEXT NOT NULL
);
`;

// Messages and requests of every (session, agent session) pair, counted. Errors are messages of
// severity critical or error, and requests that failed with a 5xx or no answer.
const SUMMARY = `
SELECT session_id, agent_session_id, MIN(at) AS first_seen, MAX(at) AS last_seen,
  SUM(is_message) AS messages, SUM(is_error) AS errors, SUM(1 - is_message) AS requests
FROM (
  SELECT session_id, agent_session_id, at, 1 AS is_message, severity <= 2 AS is_error FROM messages
  UNION ALL
  SELECT session_id, agent_session_id, at, 0, status >= 500 OR status = 0 FROM requests
)
GROUP BY session_id, agent_session_id`;

const TIMELINE = `
SELECT 'message' AS kind, id, at, data FROM messages WHERE session_id IS :session
UNION ALL
SELECT 'request', id, at, data FROM requests WHERE session_id IS :session
ORDER BY at DESC, id DESC LIMIT :limit`;

type Row = Record<string, unknown>;

/**
 * A store in an SQLite file: what the demo's log endpoint accepted and the requests its servers
 * answered. The file is created when missing and survives restarts. Call `close()` when done.
 */
export function openSqliteStore(file: string): DemoStore {
  mkdirSync(dirname(file), { recursive: true });
  const database = new sqlite.Database(file);
  try {
    database.exec(SCHEMA);
  } catch (error) {
    database.close();
    throw error;
  }

  const rows = (sql: string, values?: BindValues) => database.all(sql, values) as Row[];
  const inTransaction = (work: () => void) => {
    database.exec('BEGIN');
    try {
      work();
      database.exec('COMMIT');
    } catch (error) {
      if (database.inTransaction) database.exec('ROLLBACK');
      throw error;
    }
  };

  return {
    saveBatch(batch: LogBatch) {
      const receivedAt = Date.parse(batch.receivedAt);
      inTransaction(() => {
        for (const message of batch.messages) {
          database.run(
            'INSERT INTO messages (at, received_at, session_id, agent_session_id, severity, data) VALUES (?, ?, ?, ?, ?, ?)',
            [
              Date.parse(message.timeStamp),
              receivedAt,
              message.sessionId ?? null,
              message.agentSessionId ?? null,
              message.severity,
              JSON.stringify(message),
            ],
          );
        }
        // The client block describes the agent session the body names; the header says the same.
        const agentSessionId = batch.session?.currentAgentSessionId ?? batch.agentSessionId;
        const client = batch.session?.client;
        if (agentSessionId && client) {
          database.run(
            'INSERT INTO agent_sessions (id, client) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET client = excluded.client',
            [agentSessionId, JSON.stringify(client)],
          );
        }
      });
    },

    saveRequest(record) {
      database.run(
        'INSERT INTO requests (at, session_id, agent_session_id, status, data) VALUES (?, ?, ?, ?, ?)',
        [
          record.at,
          record.sessionId ?? null,
          record.agentSessionId ?? null,
          record.status,
          JSON.stringify(record),
        ],
      );
    },

    sessions() {
      const clients = new Map(
        rows('SELECT id, client FROM agent_sessions').map((row) => [
          row.id as string,
          JSON.parse(row.client as string),
        ]),
      );
      const sessions = new Map<string | null, SessionSummary>();
      for (const row of rows(SUMMARY)) {
        const sessionId = row.session_id as string | null;
        const tab: AgentSessionSummary = {
          id: row.agent_session_id as string | null,
          firstSeen: Number(row.first_seen),
          lastSeen: Number(row.last_seen),
          messages: Number(row.messages),
          errors: Number(row.errors),
          requests: Number(row.requests),
          client: clients.get(row.agent_session_id as string) ?? null,
        };
        let session = sessions.get(sessionId);
        if (!session) {
          session = {
            id: sessionId,
            firstSeen: tab.firstSeen,
            lastSeen: tab.lastSeen,
            messages: tab.messages,
            errors: tab.errors,
            requests: tab.requests,
            agentSessions: [],
          };
          sessions.set(sessionId, session);
        } else {
          session.firstSeen = Math.min(session.firstSeen, tab.firstSeen);
          session.lastSeen = Math.max(session.lastSeen, tab.lastSeen);
          session.messages += tab.messages;
          session.errors += tab.errors;
          session.requests += tab.requests;
        }
        session.agentSessions.push(tab);
      }
      for (const session of sessions.values()) {
        session.agentSessions.sort((a, b) => a.firstSeen - b.firstSeen);
      }
      return [...sessions.values()].sort((a, b) => b.lastSeen - a.lastSeen);
    },

    timeline(sessionId, limit = 500) {
      return rows(TIMELINE, { ':session': sessionId, ':limit': limit }).map((row) => {
        const data = JSON.parse(row.data as string);
        const base = { id: Number(row.id), at: Number(row.at) };
        return (
          row.kind === 'message'
            ? { kind: 'message', ...base, message: data }
            : { kind: 'request', ...base, request: data }
        ) as TimelineItem;
      });
    },

    close() {
      if (database.isOpen) database.close();
    },
  };
}
