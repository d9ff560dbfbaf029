import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openSqliteStore } from '../../demo/openSqliteStore';
import { createLogBatch, validateLogRequest } from '../../server/index';
import { validBody } from './server-fixtures';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function temporaryFile() {
  const folder = mkdtempSync(join(tmpdir(), 'loupe-sqlite-'));
  folders.push(folder);
  return join(folder, 'nested', 'loupe.db');
}

function batch() {
  const result = validateLogRequest(validBody());
  if (!result.ok) throw new Error(result.problems.join('; '));
  return createLogBatch(
    result.request,
    { sessionId: 'session-1', agentSessionId: 'agent-1' },
    new Date('2025-03-01T09:16:00Z'),
  );
}

it('keeps batches and requests in an SQLite file that survives closing and reopening', () => {
  const file = temporaryFile();
  const store = openSqliteStore(file);
  store.saveBatch(batch());
  store.saveRequest({
    at: Date.parse('2025-03-01T09:15:40Z'),
    server: 'app',
    method: 'GET',
    url: '/api/greeting?via=fetch',
    status: 200,
    durationMs: 3.2,
    sessionId: 'session-1',
    agentSessionId: 'agent-1',
    origin: undefined,
  });
  store.saveRequest({
    at: Date.parse('2025-03-01T09:15:41Z'),
    server: 'third-party',
    method: 'GET',
    url: '/quote?via=fetch',
    status: 200,
    durationMs: 1,
    sessionId: undefined,
    agentSessionId: undefined,
    origin: 'http://127.0.0.1:5173',
  });
  store.close();

  const reopened = openSqliteStore(file);
  try {
    const sessions = reopened.sessions();
    expect(
      sessions.map((session) => [session.id, session.messages, session.requests, session.errors]),
    ).toEqual([
      // agent-1 sent under session-1 and, after setSessionId(), under customer-42: one session.
      ['session-1', 3, 1, 1],
      [null, 0, 1, 0],
    ]);
    const [first] = sessions;
    expect(first!.ids).toEqual(['session-1', 'customer-42']);
    // Tabs in the order they appeared; the client block belongs to the agent session it names.
    expect(first!.agentSessions).toEqual([
      expect.objectContaining({
        id: '6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5',
        messages: 1,
        client: validBody().session.client,
      }),
      expect.objectContaining({ id: 'agent-1', messages: 2, requests: 1, client: null }),
    ]);

    const timeline = reopened.timeline('session-1');
    expect(timeline.map((item) => item.kind)).toEqual(['message', 'request', 'message', 'message']);
    expect(reopened.timeline('customer-42')).toEqual(timeline);
    expect(timeline[0]).toMatchObject({
      at: Date.parse('2025-03-01T14:45:32.5Z'),
      message: { caption: 'Idle', sessionId: 'session-1', agentSessionId: 'agent-1' },
    });
    expect(timeline[1]).toMatchObject({ request: { url: '/api/greeting?via=fetch', status: 200 } });
    expect(reopened.timeline(null)).toEqual([
      expect.objectContaining({
        kind: 'request',
        request: expect.objectContaining({ server: 'third-party' }),
      }),
    ]);
  } finally {
    reopened.close();
  }
});

it('stores nothing of a batch when one of its messages cannot be written', () => {
  const store = openSqliteStore(temporaryFile());
  try {
    const broken = batch();
    // The third message breaks a NOT NULL constraint after two were written: all are rolled back.
    broken.messages[2]!.severity = null as any;
    expect(() => store.saveBatch(broken)).toThrow();
    expect(store.sessions()).toEqual([]);
  } finally {
    store.close();
  }
});
