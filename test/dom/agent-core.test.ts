import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MethodSourceInfo, createAgent, logMessageSeverity } from '../../src';
import { contractProblems } from '../helpers/contract';
import { startNetwork } from '../helpers/network';

let network: ReturnType<typeof startNetwork>;
beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  document.cookie = 'LoupeSessionId=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
  network = startNetwork();
});
afterEach(() => network.dispose());

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the request body', () => {
  it('binds strictly as the server reads it', async () => {
    const agent = createAgent();
    agent.verbose('Cat', 'verbose', 'd');
    agent.information('Cat', 'information', 'd', ['p'], null, { some: 'details' });
    agent.warning('Cat', 'warning', 'd', null, new Error('why'));
    agent.error('Cat', 'error', 'd', null, null, null, new MethodSourceInfo('app.js', 'run', 3, 9));
    agent.critical('Cat', 'critical', 'd');
    agent.write(logMessageSeverity.information, 'Cat', 'write', 'd');
    await agent.flush();
    const [request] = network.logRequests();
    expect(contractProblems(request!.body)).toEqual([]);
    const body = JSON.parse(request!.body);
    expect(body.session.currentAgentSessionId).toMatch(UUID_V4);
    expect(body.session.client.ua).toBe(navigator.userAgent);
    expect(body.session.client.size).toEqual({ width: innerWidth, height: innerHeight });
    expect(body.logMessages.map((m: any) => [m.caption, m.severity])).toEqual([
      ['verbose', 16],
      ['information', 8],
      ['warning', 4],
      ['error', 2],
      ['critical', 1],
      ['write', 8],
    ]);
    const sequences = body.logMessages.map((m: any) => m.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(sequences.length);
    expect(
      body.logMessages.every((m: any) => m.agentSessionId === body.session.currentAgentSessionId),
    ).toBe(true);
  });

  it('is sent as text/plain to /loupe/log on the page origin with the correlation header', async () => {
    const agent = createAgent();
    agent.information('c', 'c', 'd');
    await agent.flush();
    const [request] = network.logRequests();
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe(location.origin + '/loupe/log');
    expect(request!.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
    expect(request!.headers.get('loupe-agent-sessionId')).toBe(
      agent.clientSessionHeader().headerValue,
    );
    expect(request!.headers.has('LoupeSessionId')).toBe(false);
  });
});

describe('session ids', () => {
  it('clientSessionHeader has the legacy shape', () => {
    const header = createAgent().clientSessionHeader();
    expect(Object.keys(header)).toEqual(['headerName', 'headerValue']);
    expect(header.headerName).toBe('loupe-agent-sessionId');
    expect(header.headerValue).toMatch(UUID_V4);
  });

  it('keeps the agent session id in sessionStorage under LoupeAgentSessionId', () => {
    const agent = createAgent();
    expect(sessionStorage.getItem('LoupeAgentSessionId')).toBe(
      agent.clientSessionHeader().headerValue,
    );
  });

  it('takes the session id from the LoupeSessionId cookie', async () => {
    document.cookie = 'LoupeSessionId=cookie-session';
    const agent = createAgent();
    agent.information('c', 'c', 'd');
    await agent.flush();
    expect(network.logMessages()[0].sessionId).toBe('cookie-session');
    expect(agent.diagnostics().sessionId).toBe('cookie-session');
  });

  it('decodes the cookie, and ignores one it cannot decode', async () => {
    document.cookie = 'LoupeSessionId=a%20b';
    const agent = createAgent();
    agent.information('c', 'c', 'd');
    await agent.flush();
    document.cookie = 'LoupeSessionId=%E0%A4%A';
    const other = createAgent();
    other.information('c', 'c', 'd');
    await other.flush();
    expect(network.logMessages()[0].sessionId).toBe('a b');
    expect(network.logMessages()[1]).not.toHaveProperty('sessionId');
  });

  it('prefers setSessionId to the cookie, in messages and in the LoupeSessionId header', async () => {
    document.cookie = 'LoupeSessionId=cookie-session';
    const agent = createAgent();
    agent.setSessionId('explicit');
    agent.information('c', 'c', 'd');
    await agent.flush();
    expect(network.logMessages()[0].sessionId).toBe('explicit');
    expect(network.logRequests()[0]!.headers.get('LoupeSessionId')).toBe('explicit');
  });

  it('leaves sessionId out when there is neither cookie nor explicit id', async () => {
    const agent = createAgent();
    agent.information('c', 'c', 'd');
    await agent.flush();
    expect(network.logMessages()[0]).not.toHaveProperty('sessionId');
  });

  it('keeps the id and keeps counting up when the tab reloads', async () => {
    const first = createAgent().install();
    first.information('c', 'first', 'd');
    await first.flush();
    dispatchEvent(new Event('pagehide'));
    first.uninstall();
    const second = createAgent().install();
    second.information('c', 'second', 'd');
    await second.flush();
    second.uninstall();
    const [a, b] = network.logMessages();
    expect(b.agentSessionId).toBe(a.agentSessionId);
    expect(b.sequence).toBeGreaterThan(a.sequence);
  });

  it('gets a new id when the stored one belongs to a live page (copied sessionStorage)', () => {
    const live = createAgent().install();
    const copy = createAgent();
    expect(copy.clientSessionHeader().headerValue).not.toBe(live.clientSessionHeader().headerValue);
    live.uninstall();
  });
});

describe('log server and headers', () => {
  it('sends to setLogServer without its trailing slash, with custom headers', async () => {
    const agent = createAgent();
    agent.setLogServer('https://logs.example.test/');
    agent.addHeader({ name: 'X-Api-Key', value: 'k1' });
    agent.information('c', 'c', 'd');
    await agent.flush();
    const [request] = network.logRequests();
    expect(request!.url).toBe('https://logs.example.test/loupe/log');
    expect(request!.headers.get('x-api-key')).toBe('k1');
    expect(agent.diagnostics().logServer).toBe('https://logs.example.test');
  });

  it('keeps corsOrigin as the older name of setLogServer', async () => {
    const agent = createAgent();
    agent.corsOrigin('https://old.example.test');
    agent.information('c', 'c', 'd');
    await agent.flush();
    expect(network.logRequests()[0]!.url).toBe('https://old.example.test/loupe/log');
  });

  it('takes the log server from options', async () => {
    const agent = createAgent({ logServer: 'https://opt.example.test//' });
    agent.information('c', 'c', 'd');
    await agent.flush();
    expect(network.logRequests()[0]!.url).toBe('https://opt.example.test/loupe/log');
  });
});

describe('bad input never throws into the app', () => {
  it('accepts non-string and missing arguments', async () => {
    const agent = createAgent();
    const loose = agent as any;
    expect(() => {
      loose.information();
      loose.warning(undefined, null, 12, 'not-an-array', 'not an error', Symbol('s'), 7);
      loose.write('bogus', { a: 1 }, [1, 2], () => 1);
      loose.recordException(undefined);
      loose.setSessionId(undefined);
      loose.addHeader(undefined);
      loose.setLogServer(undefined);
    }).not.toThrow();
    await agent.flush();
    const body = network.logRequests()[0]!.body;
    expect(contractProblems(body)).toEqual([]);
    expect(JSON.parse(body).logMessages).toHaveLength(4);
  });

  it('truncates oversize details, then drops a message that is still too big', async () => {
    const agent = createAgent({ maxMessageSize: 4096 });
    agent.information('c', 'big details', 'd', null, null, { blob: 'x'.repeat(20_000) });
    agent.information('c', 'big description', 'y'.repeat(20_000));
    await agent.flush();
    const body = network.logRequests()[0]!.body;
    expect(contractProblems(body)).toEqual([]);
    const [truncated, dropped] = JSON.parse(body).logMessages;
    expect(truncated.caption).toBe('big details');
    expect(JSON.parse(truncated.details)).toMatch(/\[truncated\]$/);
    expect(new TextEncoder().encode(JSON.stringify(truncated)).length).toBeLessThanOrEqual(4096);
    expect(dropped).toMatchObject({ category: 'Loupe', caption: 'Message dropped', severity: 4 });
    expect(dropped.description).toContain('big description');
  });

  describe('with hostile storage and cookies', () => {
    const restores: Array<() => void> = [];
    afterEach(() => restores.splice(0).forEach((restore) => restore()));
    const replace = (target: object, key: string, descriptor: PropertyDescriptor) => {
      const own = Object.getOwnPropertyDescriptor(target, key);
      Object.defineProperty(target, key, { configurable: true, ...descriptor });
      restores.push(() =>
        own ? Object.defineProperty(target, key, own) : delete (target as any)[key],
      );
    };

    const logsAndSends = async () => {
      const agent = createAgent().install();
      agent.information('c', 'still works', 'd');
      await agent.flush();
      agent.uninstall();
      expect(network.logMessages().map((m: any) => m.caption)).toEqual(['still works']);
      expect(agent.clientSessionHeader().headerValue).toMatch(UUID_V4);
    };

    it('works when reading storage throws SecurityError', async () => {
      const denied = () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      };
      replace(window, 'sessionStorage', { get: denied });
      replace(window, 'localStorage', { get: denied });
      await logsAndSends();
    });

    it('works when writing storage throws QuotaExceededError', async () => {
      const full = () => {
        throw new DOMException('full', 'QuotaExceededError');
      };
      replace(Storage.prototype, 'setItem', { value: full, writable: true });
      await logsAndSends();
    });

    it('works with no sessionStorage, localStorage or document.cookie at all', async () => {
      replace(window, 'sessionStorage', { value: undefined });
      replace(window, 'localStorage', { value: undefined });
      replace(document, 'cookie', { get: () => undefined, set: () => {} });
      await logsAndSends();
    });
  });
});

describe('the agent object', () => {
  it('keeps the legacy names', () => {
    const agent = createAgent();
    expect(agent.propagateOnError).toBe(true);
    expect(agent.logMessageSeverity).toEqual({
      none: 0,
      critical: 1,
      error: 2,
      warning: 4,
      information: 8,
      verbose: 16,
    });
    expect(new agent.MethodSourceInfo('f.js', 'm', 1, 2)).toEqual({
      file: 'f.js',
      method: 'm',
      line: 1,
      column: 2,
    });
  });

  it('does not touch the page until install()', () => {
    const fetchBefore = window.fetch;
    const onerrorBefore = window.onerror;
    const agent = createAgent();
    expect(window.fetch).toBe(fetchBefore);
    expect(window.onerror).toBe(onerrorBefore);
    expect(agent.diagnostics()).toMatchObject({ installed: false, patches: [] });
  });

  it('reports its state in diagnostics', () => {
    const agent = createAgent();
    agent.information('c', 'c', 'd');
    expect(agent.diagnostics()).toMatchObject({
      agentSessionId: agent.clientSessionHeader().headerValue,
      logServer: location.origin,
      installed: false,
      queued: 1,
    });
    agent.install();
    expect(agent.diagnostics().installed).toBe(true);
    agent.uninstall();
    expect(agent.diagnostics().installed).toBe(false);
  });

  it('flush resolves after the queued messages reached the server', async () => {
    const agent = createAgent();
    agent.information('c', 'one', 'd');
    agent.information('c', 'two', 'd');
    await agent.flush();
    expect(network.logMessages().map((m: any) => m.caption)).toEqual(['one', 'two']);
    expect(agent.diagnostics().queued).toBe(0);
  });
});
