import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import sqlite, { type BindValues } from 'node-sqlite3-wasm';
import type { ClientDescription, LogBatch } from '../server/index';
import { type PairSummary, linkSessions } from './linkSessions';
import type { DemoStore, TimelineItem } from './types';

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

// A session's items: those under any of its ids, and those its tabs sent without a session id.
// The uncorrelated group (:anonymous 1) also has those without a tab.
const IN_SESSION = `(session_id IN (SELECT value FROM json_each(:ids))
  OR (session_id IS NULL AND (agent_session_id IN (SELECT value FROM json_each(:tabs))
    OR (:anonymous AND agent_session_id IS NULL))))`;
const TIMELINE = `
SELECT 'message' AS kind, id, at, data FROM messages WHERE ${IN_SESSION}
UNION ALL
SELECT 'request', id, at, data FROM requests WHERE ${IN_SESSION}
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

  const sessions = () => {
    const clients = new Map(
      rows('SELECT id, client FROM agent_sessions').map((row) => [
        row.id as string,
        JSON.parse(row.client as string) as ClientDescription,
      ]),
    );
    const pairs = rows(SUMMARY).map((row): PairSummary => ({
      sessionId: row.session_id as string | null,
      agentSessionId: row.agent_session_id as string | null,
      firstSeen: Number(row.first_seen),
      lastSeen: Number(row.last_seen),
      messages: Number(row.messages),
      errors: Number(row.errors),
      requests: Number(row.requests),
    }));
    return linkSessions(pairs, clients);
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

    sessions,

    timeline(sessionId, limit = 500) {
      const session = sessions().find((candidate) =>
        sessionId === null ? candidate.id === null : candidate.ids.includes(sessionId),
      );
      const scope = {
        ':ids': JSON.stringify(session?.ids ?? (sessionId === null ? [] : [sessionId])),
        ':tabs': JSON.stringify(session?.agentSessions.flatMap((tab) => tab.id ?? []) ?? []),
        ':anonymous': sessionId === null ? 1 : 0,
      };
      return rows(TIMELINE, { ...scope, ':limit': limit }).map((row) => {
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
