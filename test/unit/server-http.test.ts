import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendChunks, startLoupeServer, validBody } from './server-fixtures';

type LoupeServer = Awaited<ReturnType<typeof startLoupeServer>>;

let server: LoupeServer;
beforeAll(async () => {
  server = await startLoupeServer({ allowedOrigins: ['http://app.test:8080'], corsMaxAge: 300 });
});
afterAll(() => server?.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function echo(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(server.origin + path, { headers });
  return { response, body: (await response.json()) as { loupe: any } };
}

describe('session ids', () => {
  it('issues the LoupeSessionId cookie and the loupesessionid header on the first page load', async () => {
    const { response, body } = await echo('/', { Accept: 'text/html,application/xhtml+xml' });
    const cookie = response.headers.get('set-cookie') ?? '';
    const id = /^LoupeSessionId=([^;]+); Path=\/; SameSite=Lax$/.exec(cookie)?.[1];
    expect(id).toMatch(UUID);
    expect(cookie).not.toMatch(/HttpOnly/i);
    expect(response.headers.get('loupesessionid')).toBe(id);
    expect(body.loupe).toEqual({ sessionId: id, agentSessionId: undefined });
  });

  it('issues nothing when the page load already has the cookie', async () => {
    const { response, body } = await echo('/', {
      Accept: 'text/html',
      Cookie: 'theme=dark; LoupeSessionId=known-session',
    });
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('loupesessionid')).toBeNull();
    expect(body.loupe.sessionId).toBe('known-session');
  });

  it('issues nothing for requests that are not page loads', async () => {
    const { response, body } = await echo('/api/orders', { Accept: 'application/json' });
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(body.loupe).toEqual({});
  });

  it('reads the loupesessionid header before the cookie, and the agent session header', async () => {
    const { response, body } = await echo('/api/orders', {
      Cookie: 'LoupeSessionId=cookie-session',
      LoupeSessionId: 'header-session',
      'loupe-agent-sessionId': 'agent-7',
    });
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(body.loupe).toEqual({ sessionId: 'header-session', agentSessionId: 'agent-7' });
  });
});

describe('POST /loupe/log', () => {
  it('stores a valid batch and answers 204, filling the ids the messages lack', async () => {
    const before = server.store.batches.length;
    const response = await server.post(validBody(), {
      Cookie: 'LoupeSessionId=cookie-session',
      'loupe-agent-sessionId': 'agent-7',
    });
    expect(response.status).toBe(204);
    expect(server.store.batches).toHaveLength(before + 1);
    const batch = server.store.batches.at(-1)!;
    expect(batch).toMatchObject({
      sessionId: 'cookie-session',
      agentSessionId: 'agent-7',
      session: validBody().session,
    });
    expect(batch.messages.map((message) => [message.caption, message.sessionId])).toEqual([
      ['Checkout started', 'cookie-session'],
      ['TypeError', 'customer-42'],
      ['Idle', 'cookie-session'],
    ]);
    expect(batch.messages[1]).toMatchObject({ agentSessionId: 'agent-7', sequence: 2 });
  });

  it('accepts any content type and a JSON body with a byte order mark', async () => {
    const response = await server.post('\uFEFF' + JSON.stringify(validBody()), {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(204);
  });

  it.each([
    ['not JSON', 'severity=8', /^the body is not valid JSON \(/],
    ['empty', '', /^the body is empty; send a JSON log request$/],
    ['not UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), /^the body is not valid UTF-8 text$/],
    ['a JSON array', '[]', /^the body must be an object, got an array$/],
    [
      'logMessages not an array',
      '{"logMessages":"hi"}',
      /^logMessages must be an array, got "hi"$/,
    ],
    [
      'LogMessages',
      { LogMessages: validBody().logMessages },
      /^logMessages is required \(.*"LogMessages"/,
    ],
    [
      'a wrong-case TimeStamp',
      { logMessages: [{ severity: 8, TimeStamp: '2025-03-01T10:15:30Z', sequence: 1 }] },
      /^logMessages\[0\]\.timeStamp is required \(.*"TimeStamp"/,
    ],
    [
      'a null timeStamp',
      {
        logMessages: [
          validBody().logMessages[0],
          { ...validBody().logMessages[1], timeStamp: null },
        ],
      },
      /^logMessages\[1\]\.timeStamp must be an ISO 8601 date with offset, got null$/,
    ],
    [
      'a string severity',
      { logMessages: [{ ...validBody().logMessages[0], severity: 'information' }] },
      /^logMessages\[0\]\.severity must be one of 1, 2, 4, 8, 16 .*got "information"$/,
    ],
    [
      'a null size width',
      (() => {
        const body: any = validBody();
        body.session.client.size.width = null;
        return body;
      })(),
      /^session\.client\.size\.width must be a 32-bit integer, got null$/,
    ],
    [
      'a number as category',
      { logMessages: [{ ...validBody().logMessages[0], category: 12 }] },
      /^logMessages\[0\]\.category must be a string, got 12$/,
    ],
    [
      'a string exception line',
      (() => {
        const body: any = validBody();
        body.logMessages[1].exception.line = 'ninety';
        return body;
      })(),
      /^logMessages\[1\]\.exception\.line must be an integer or null, got "ninety"$/,
    ],
  ])(
    'rejects a body that is %s with 400 naming the problem, and stores nothing',
    async (_name, body, error) => {
      const before = server.store.batches.length;
      const response = await server.post(body);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const answer = (await response.json()) as { error: string; problems?: string[] };
      expect(answer.error).toMatch(error);
      expect(server.store.batches).toHaveLength(before);
      // The server is still up and accepting.
      expect((await server.post(validBody())).status).toBe(204);
    },
  );

  it('answers 405 to other methods on the log path', async () => {
    const response = await fetch(server.origin + '/loupe/log');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('answers 500 and keeps running when the store fails', async () => {
    const failures: unknown[] = [];
    const failing = await startLoupeServer({
      store: {
        saveBatch() {
          throw new Error('disk full');
        },
      },
      onStoreError: (error) => failures.push(error),
    });
    try {
      const response = await failing.post(validBody());
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: 'the log messages could not be stored' });
      expect(failures).toEqual([new Error('disk full')]);
      expect((await fetch(failing.origin + '/still-up')).status).toBe(200);
    } finally {
      await failing.close();
    }
  });
});

describe('body size limit', () => {
  it('answers 413 to a declared size over the limit without reading the body', async () => {
    const small = await startLoupeServer({ maxBodyBytes: 4096 });
    try {
      // Only the first kilobyte of a declared 10 MB body is ever sent: the answer comes anyway.
      const answer = await sendChunks(small.origin + '/loupe/log', [Buffer.alloc(1024, 32)], {
        'Content-Length': 10_000_000,
      });
      expect(answer.status).toBe(413);
      expect(answer.headers.connection).toBe('close');
      expect(JSON.parse(answer.body)).toEqual({
        error: 'the body is larger than the limit of 4096 bytes',
      });
      expect(small.store.batches).toHaveLength(0);
      expect((await small.post(validBody())).status).toBe(204);
    } finally {
      await small.close();
    }
  });

  it('stops reading a chunked body as soon as it passes the limit', async () => {
    const small = await startLoupeServer({ maxBodyBytes: 4096 });
    try {
      // Eight kilobytes of an endless body: the answer comes while the request is still open.
      const answer = await sendChunks(
        small.origin + '/loupe/log',
        [Buffer.from('{"logMessages":['), Buffer.alloc(8192, 32)],
        { 'Transfer-Encoding': 'chunked' },
      );
      expect(answer.status).toBe(413);
      expect(small.store.batches).toHaveLength(0);
      expect((await small.post(validBody())).status).toBe(204);
    } finally {
      await small.close();
    }
  });

  it('accepts up to 1 MiB by default', async () => {
    const body = validBody();
    body.logMessages[0].description = 'x'.repeat(1024 * 1024 - JSON.stringify(body).length + 26);
    const text = JSON.stringify(body);
    expect(Buffer.byteLength(text)).toBe(1024 * 1024);
    expect((await server.post(text)).status).toBe(204);
    expect((await server.post(text + ' ')).status).toBe(413);
    expect((await server.post(validBody())).status).toBe(204);
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin with the methods and the agent headers', async () => {
    const response = await fetch(server.origin + '/loupe/log', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://app.test:8080',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,loupe-agent-sessionid,loupesessionid',
      },
    });
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': 'http://app.test:8080',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'loupe-agent-sessionId, LoupeSessionId, Content-Type',
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '300',
      vary: 'Origin',
    });
  });

  it('gives other origins no CORS headers', async () => {
    const response = await fetch(server.origin + '/loupe/log', {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.test', 'Access-Control-Request-Method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('lets an allowed origin read the answers, errors included', async () => {
    const origin = 'http://app.test:8080';
    const accepted = await server.post(validBody(), { Origin: origin });
    expect(accepted.status).toBe(204);
    expect(accepted.headers.get('access-control-allow-origin')).toBe(origin);
    expect(accepted.headers.get('access-control-allow-credentials')).toBe('true');
    const rejected = await server.post('{}', { Origin: origin });
    expect(rejected.status).toBe(400);
    expect(rejected.headers.get('access-control-allow-origin')).toBe(origin);
  });
});
