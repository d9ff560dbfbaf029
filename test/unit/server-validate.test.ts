import { describe, expect, it } from 'vitest';
import { createOriginTest } from '../../server/cors';
import { createLogBatch } from '../../server/createLogBatch';
import { readLoupeIds } from '../../server/sessionIds';
import { validateLogRequest } from '../../server/validateLogRequest';
import { validBody } from './server-fixtures';

/** The first problem found in `body`, or undefined when it is valid. */
function problemOf(change: (body: any) => unknown): string | undefined {
  const body: any = validBody();
  const replaced = change(body);
  const result = validateLogRequest(replaced === undefined ? body : replaced);
  return result.ok ? undefined : result.problems[0];
}

describe('validateLogRequest', () => {
  it('accepts a body using every part of the contract and keeps its values', () => {
    const result = validateLogRequest(validBody());
    expect(result).toEqual({ ok: true, request: validBody() });
  });

  it('accepts the smallest body: an empty message list', () => {
    expect(validateLogRequest({ logMessages: [] })).toEqual({
      ok: true,
      request: { logMessages: [] },
    });
  });

  it('drops unknown properties, like the .NET server ignores them', () => {
    const body: any = validBody();
    body.extra = 1;
    body.session.client.platform = 'x';
    body.logMessages[0].threadId = 7;
    const result = validateLogRequest(body);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request).not.toHaveProperty('extra');
    expect(result.request.session?.client).not.toHaveProperty('platform');
    expect(result.request.logMessages[0]).not.toHaveProperty('threadId');
  });

  it('accepts null where the server has nullable values', () => {
    expect(
      problemOf((body) => {
        body.session = null;
        Object.assign(body.logMessages[0], {
          category: null,
          caption: null,
          description: null,
          parameters: null,
          details: null,
          exception: null,
          methodSourceInfo: null,
          sessionId: null,
          agentSessionId: null,
        });
        body.logMessages[1].exception.line = null;
        body.logMessages[1].exception.stackTrace = null;
      }),
    ).toBeUndefined();
  });

  it.each([
    ['not an object', () => [1], 'the body must be an object, got an array'],
    ['null', () => null, 'the body must be an object, got null'],
    ['a string', () => 'hello', 'the body must be an object, got "hello"'],
    ['without logMessages', () => ({}), 'logMessages is required'],
    [
      'with logMessages not an array',
      () => ({ logMessages: { 0: {} } }),
      'logMessages must be an array, got an object',
    ],
    [
      'with a message that is not an object',
      (body: any) => void (body.logMessages[1] = 'hi'),
      'logMessages[1] must be an object, got "hi"',
    ],
    [
      'with a null timeStamp',
      (body: any) => void (body.logMessages[2].timeStamp = null),
      'logMessages[2].timeStamp must be an ISO 8601 date with offset, got null',
    ],
    [
      'with a timeStamp without offset',
      (body: any) => void (body.logMessages[0].timeStamp = '2025-03-01T10:15:30'),
      'logMessages[0].timeStamp must be an ISO 8601 date with offset, got "2025-03-01T10:15:30"',
    ],
    [
      'with a timeStamp as a number',
      (body: any) => void (body.logMessages[0].timeStamp = 1740820530000),
      'logMessages[0].timeStamp must be an ISO 8601 date with offset, got 1740820530000',
    ],
    [
      'with a severity name',
      (body: any) => void (body.logMessages[0].severity = 'error'),
      'logMessages[0].severity must be one of 1, 2, 4, 8, 16 (critical, error, warning, information, verbose), got "error"',
    ],
    [
      'with severity 3',
      (body: any) => void (body.logMessages[0].severity = 3),
      'logMessages[0].severity must be one of 1, 2, 4, 8, 16 (critical, error, warning, information, verbose), got 3',
    ],
    [
      'without severity',
      (body: any) => void delete body.logMessages[1].severity,
      'logMessages[1].severity is required',
    ],
    [
      'with a fractional sequence',
      (body: any) => void (body.logMessages[0].sequence = 1.5),
      'logMessages[0].sequence must be an integer, got 1.5',
    ],
    [
      'with a string sequence',
      (body: any) => void (body.logMessages[0].sequence = '1'),
      'logMessages[0].sequence must be an integer, got "1"',
    ],
    [
      'with a null size width',
      (body: any) => void (body.session.client.size.width = null),
      'session.client.size.width must be a 32-bit integer, got null',
    ],
    [
      'with a null os architecture',
      (body: any) => void (body.session.client.os.architecture = null),
      'session.client.os.architecture must be a 32-bit integer, got null',
    ],
    [
      'with a number as user agent',
      (body: any) => void (body.session.client.ua = 5),
      'session.client.ua must be a string, got 5',
    ],
    [
      'with a number as caption',
      (body: any) => void (body.logMessages[0].caption = 42),
      'logMessages[0].caption must be a string, got 42',
    ],
    [
      'with details as an object',
      (body: any) => void (body.logMessages[0].details = { cartId: 1 }),
      'logMessages[0].details must be a string of JSON text, got an object',
    ],
    [
      'with details that are not JSON text',
      (body: any) => void (body.logMessages[0].details = 'cart C-1042'),
      'logMessages[0].details must be a string of JSON text, got "cart C-1042"',
    ],
    [
      'with parameters not an array',
      (body: any) => void (body.logMessages[0].parameters = 'a, b'),
      'logMessages[0].parameters must be an array, got "a, b"',
    ],
    [
      'with an exception line as text',
      (body: any) => void (body.logMessages[1].exception.line = '98'),
      'logMessages[1].exception.line must be an integer or null, got "98"',
    ],
    [
      'with a stack trace line that is not a string',
      (body: any) => void (body.logMessages[1].exception.stackTrace[1] = 7),
      'logMessages[1].exception.stackTrace[1] must be a string, got 7',
    ],
    [
      'with a fractional source column',
      (body: any) => void (body.logMessages[0].methodSourceInfo.column = 5.5),
      'logMessages[0].methodSourceInfo.column must be an integer or null, got 5.5',
    ],
    [
      'with an exception as a string',
      (body: any) => void (body.logMessages[1].exception = 'TypeError'),
      'logMessages[1].exception must be an object, got "TypeError"',
    ],
  ])('rejects a body %s, naming the field', (_name, change, problem) => {
    expect(problemOf(change as (body: any) => unknown)).toBe(problem);
  });

  it('names the property when a required name has the wrong case', () => {
    expect(problemOf((body) => ({ LogMessages: body.logMessages }))).toBe(
      'logMessages is required (property names are case-sensitive, so "LogMessages" is not "logMessages")',
    );
    expect(
      problemOf((body) => {
        const message = body.logMessages[0];
        message.TimeStamp = message.timeStamp;
        delete message.timeStamp;
      }),
    ).toBe(
      'logMessages[0].timeStamp is required (property names are case-sensitive, so "TimeStamp" is not "timeStamp")',
    );
  });

  it('rejects an optional property with the wrong case, which the server would silently lose', () => {
    expect(
      problemOf((body) => {
        body.logMessages[1].Exception = body.logMessages[1].exception;
        delete body.logMessages[1].exception;
      }),
    ).toBe(
      'logMessages[1].Exception is not a contract property (property names are case-sensitive, so "Exception" is not "exception")',
    );
  });

  it('rejects parameters nested deeper than 32 levels', () => {
    let deep: unknown = [];
    for (let level = 0; level < 40; level++) deep = [deep];
    expect(problemOf((body) => void (body.logMessages[0].parameters = [deep]))).toBe(
      'logMessages[0].parameters must not nest deeper than 32 levels',
    );
  });

  it('lists up to 20 problems', () => {
    const body = { logMessages: Array.from({ length: 50 }, () => ({ severity: 0 })) };
    const result = validateLogRequest(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toHaveLength(20);
  });

  it.each([
    ['2025-03-01T10:15:30Z', true],
    ['2025-03-01T10:15:30.1234567+14:00', true],
    ['2024-02-29T23:59:59-12:00', true],
    ['2025-03-01T10:15:30.12345678Z', false],
    ['2025-02-29T10:15:30Z', false],
    ['2025-13-01T10:15:30Z', false],
    ['2025-03-01T24:00:00Z', false],
    ['2025-03-01 10:15:30Z', false],
    ['2025-03-01T10:15Z', false],
    ['2025-03-01T10:15:30+1:00', false],
    ['2025-03-01T10:15:30+15:00', false],
    ['0000-01-01T00:00:00Z', false],
    ['', false],
  ])('reads the time stamp %s as valid: %s', (timeStamp, valid) => {
    const result = validateLogRequest({
      logMessages: [{ severity: 8, timeStamp, sequence: 1 }],
    });
    expect(result.ok).toBe(valid);
  });

  it('accepts 32-bit integers and rejects numbers beyond them', () => {
    expect(problemOf((body) => void (body.session.client.size.width = 2 ** 31 - 1))).toBe(
      undefined,
    );
    expect(problemOf((body) => void (body.session.client.size.width = 2 ** 31))).toBe(
      `session.client.size.width must be a 32-bit integer, got ${2 ** 31}`,
    );
  });
});

describe('createLogBatch', () => {
  it("fills a message's missing ids from the request, and keeps the ones it has", () => {
    const result = validateLogRequest(validBody());
    if (!result.ok) throw new Error(result.problems[0]);
    const batch = createLogBatch(
      result.request,
      { sessionId: 'cookie-session', agentSessionId: 'header-agent' },
      new Date('2025-03-01T09:16:00Z'),
    );
    expect(batch.receivedAt).toBe('2025-03-01T09:16:00.000Z');
    expect(batch.messages.map((message) => [message.sessionId, message.agentSessionId])).toEqual([
      ['cookie-session', '6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5'],
      ['customer-42', 'header-agent'],
      ['cookie-session', 'header-agent'],
    ]);
  });

  it("uses the body's currentAgentSessionId when the request has no agent header", () => {
    const batch = createLogBatch(
      {
        session: { currentAgentSessionId: 'from-body' },
        logMessages: [validBody().logMessages[2] as any],
      },
      { sessionId: undefined, agentSessionId: undefined },
      new Date(),
    );
    expect(batch.messages[0]).toMatchObject({ agentSessionId: 'from-body' });
    expect(batch.messages[0]).not.toHaveProperty('sessionId');
  });
});

describe('readLoupeIds', () => {
  it('reads the session header before the cookie, and the agent session header', () => {
    expect(
      readLoupeIds({
        loupesessionid: 'from-header',
        cookie: 'theme=dark; LoupeSessionId=from-cookie',
        'loupe-agent-sessionid': 'agent-1',
      }),
    ).toEqual({ sessionId: 'from-header', agentSessionId: 'agent-1' });
    expect(readLoupeIds({ cookie: 'theme=dark; LoupeSessionId=from-cookie' })).toEqual({
      sessionId: 'from-cookie',
      agentSessionId: undefined,
    });
  });

  it('ignores empty, over-long and control-character ids, and other cookies', () => {
    expect(
      readLoupeIds({
        loupesessionid: '  ',
        cookie: 'XLoupeSessionId=nope; loupesessionid=nope',
        'loupe-agent-sessionid': 'a'.repeat(129),
      }),
    ).toEqual({ sessionId: undefined, agentSessionId: undefined });
    expect(readLoupeIds({ loupesessionid: 'bad\u0000id' }).sessionId).toBeUndefined();
  });
});

describe('createOriginTest', () => {
  it('matches exact origins, RegExps, "*" and functions; never the "null" origin', () => {
    const exact = createOriginTest(['https://app.example.com/', /^https:\/\/.*\.example\.org$/g]);
    expect(exact('https://app.example.com')).toBe(true);
    expect(exact('HTTPS://APP.EXAMPLE.COM')).toBe(true);
    expect(exact('https://evil.example.com')).toBe(false);
    // A global RegExp keeps no state between calls.
    expect(exact('https://a.example.org')).toBe(true);
    expect(exact('https://a.example.org')).toBe(true);
    expect(createOriginTest('*')('https://anything.test')).toBe(true);
    expect(createOriginTest('*')('null')).toBe(false);
    expect(createOriginTest(undefined)('https://app.example.com')).toBe(false);
    expect(createOriginTest((origin) => origin.endsWith('.test'))('https://a.test')).toBe(true);
  });
});
