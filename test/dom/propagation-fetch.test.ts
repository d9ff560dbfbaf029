import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Agent, type AgentOptions, createAgent } from '../../src';
import { startNetwork } from '../helpers/network';

const THIRD_PARTY = 'https://third-party.test';
let network: ReturnType<typeof startNetwork>;
const agents: Agent[] = [];

beforeEach(() => {
  sessionStorage.clear();
  network = startNetwork();
});
afterEach(() => {
  while (agents.length) agents.pop()!.uninstall();
  network.dispose();
});

function installAgent(options: AgentOptions = {}): { agent: Agent; id: string } {
  const agent = createAgent({ captureErrors: false, ...options }).install();
  agents.push(agent);
  return { agent, id: agent.diagnostics().agentSessionId };
}

/** The request the network saw at `path`, by pathname. */
function seen(path: string) {
  const matches = network.requests.filter((request) => new URL(request.url).pathname === path);
  expect(matches).toHaveLength(1);
  return matches[0]!;
}

describe('fetch', () => {
  it('adds the agent session header to a same-origin string URL', async () => {
    const { id } = installAgent();
    await fetch('/api/orders');
    const request = seen('/api/orders');
    expect(request.headers.get('loupe-agent-sessionId')).toBe(id);
    expect(request.headers.has('LoupeSessionId')).toBe(false);
  });

  it('adds it for a URL object and an absolute same-origin string', async () => {
    const { id } = installAgent();
    await fetch(new URL('/from-url', location.href));
    await fetch(location.origin + '/absolute?x=1');
    expect(seen('/from-url').headers.get('loupe-agent-sessionId')).toBe(id);
    expect(seen('/absolute').headers.get('loupe-agent-sessionId')).toBe(id);
  });

  it('adds it to a Request, keeping its method, body and headers', async () => {
    const { id } = installAgent();
    const request = new Request('/from-request', {
      method: 'PUT',
      body: '{"a":1}',
      headers: { 'Content-Type': 'application/json', 'X-App': 'yes' },
    });
    await fetch(request);
    const sent = seen('/from-request');
    expect(sent.method).toBe('PUT');
    expect(sent.body).toBe('{"a":1}');
    expect(sent.headers.get('content-type')).toBe('application/json');
    expect(sent.headers.get('x-app')).toBe('yes');
    expect(sent.headers.get('loupe-agent-sessionId')).toBe(id);
  });

  it('uses the init headers over the Request headers, as fetch does', async () => {
    const { id } = installAgent();
    const request = new Request('/override', { headers: { 'X-From-Request': '1' } });
    await fetch(request, { headers: { 'X-From-Init': '1' } });
    const sent = seen('/override');
    expect(sent.headers.has('x-from-request')).toBe(false);
    expect(sent.headers.get('x-from-init')).toBe('1');
    expect(sent.headers.get('loupe-agent-sessionId')).toBe(id);
  });

  it('keeps a Request signal: an aborted Request still rejects', async () => {
    installAgent();
    const controller = new AbortController();
    const request = new Request('/aborted', { signal: controller.signal });
    controller.abort();
    await expect(fetch(request)).rejects.toMatchObject({ name: 'AbortError' });
  });

  const headerForms: Array<[string, () => HeadersInit]> = [
    ['Headers', () => new Headers({ 'X-App': 'yes' })],
    ['an array of pairs', () => [['X-App', 'yes']]],
    ['a record', () => ({ 'X-App': 'yes' })],
  ];

  for (const [form, make] of headerForms) {
    it(`keeps the app's headers given as ${form}`, async () => {
      const { id } = installAgent();
      await fetch('/form', { method: 'POST', body: 'b', headers: make() });
      const sent = seen('/form');
      expect(sent.headers.get('x-app')).toBe('yes');
      expect(sent.headers.get('loupe-agent-sessionId')).toBe(id);
      expect(sent.body).toBe('b');
    });

    it(`leaves the app's own value alone, in any letter case, given as ${form}`, async () => {
      const { agent } = installAgent();
      agent.setSessionId('agent-set');
      const headers = make();
      const add = (name: string, value: string) =>
        headers instanceof Headers
          ? headers.set(name, value)
          : Array.isArray(headers)
            ? headers.push([name, value])
            : ((headers as Record<string, string>)[name] = value);
      add('LOUPE-AGENT-SESSIONID', 'app-value');
      add('loupesessionid', 'app-session');
      await fetch('/mine', { headers });
      const sent = seen('/mine');
      expect(sent.headers.get('loupe-agent-sessionId')).toBe('app-value');
      expect(sent.headers.get('LoupeSessionId')).toBe('app-session');
    });
  }

  it("leaves a header set on the app's Request alone", async () => {
    installAgent();
    await fetch(
      new Request('/request-mine', { headers: { 'Loupe-Agent-SessionId': 'app-value' } }),
    );
    expect(seen('/request-mine').headers.get('loupe-agent-sessionId')).toBe('app-value');
  });

  it("never changes the app's Request or init", async () => {
    installAgent();
    const signal = new AbortController().signal;
    const headers = new Headers({ 'X-App': 'yes' });
    const pairs: Array<[string, string]> = [['X-App', 'yes']];
    const record = { 'X-App': 'yes' };
    const inits: RequestInit[] = [
      { method: 'POST', body: 'x', headers, signal },
      { headers: pairs },
      { headers: record, credentials: 'include' },
      {},
    ];
    const snapshots = inits.map((init) => ({ ...init }));
    const headersBefore = [...headers];
    for (const init of inits) await fetch('/init', init);
    inits.forEach((init, index) => {
      expect(init).toEqual(snapshots[index]);
      expect(Object.keys(init)).toEqual(Object.keys(snapshots[index]!));
    });
    expect([...headers]).toEqual(headersBefore);
    expect(pairs).toEqual([['X-App', 'yes']]);
    expect(record).toEqual({ 'X-App': 'yes' });

    const request = new Request('/request', {
      method: 'POST',
      body: 'x',
      headers: { 'X-App': 'yes' },
    });
    await fetch(request);
    expect([...request.headers].map(([name]) => name)).not.toContain('loupe-agent-sessionid');
    expect(request.method).toBe('POST');
    expect(request.url).toBe(location.origin + '/request');
  });

  it('sends LoupeSessionId only after setSessionId', async () => {
    const { agent, id } = installAgent();
    document.cookie = 'LoupeSessionId=from-cookie';
    await fetch('/before');
    agent.setSessionId('explicit-1');
    await fetch('/after');
    document.cookie = 'LoupeSessionId=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
    expect(seen('/before').headers.has('LoupeSessionId')).toBe(false);
    expect(seen('/after').headers.get('LoupeSessionId')).toBe('explicit-1');
    expect(seen('/after').headers.get('loupe-agent-sessionId')).toBe(id);
  });

  it('adds nothing to third-party origins', async () => {
    installAgent();
    await fetch(THIRD_PARTY + '/pixel');
    await fetch('//third-party.test/protocol-relative');
    await fetch(new Request(THIRD_PARTY + '/request'));
    await fetch('http://localhost:3001/other-port');
    for (const request of network.requests) {
      expect(request.headers.has('loupe-agent-sessionId')).toBe(false);
      expect(request.headers.has('LoupeSessionId')).toBe(false);
    }
    expect(network.requests).toHaveLength(4);
  });

  it('adds the headers to the log server origin', async () => {
    const { id } = installAgent({ logServer: 'https://logs.example.test/' });
    await fetch('https://logs.example.test/api/ping');
    expect(seen('/api/ping').headers.get('loupe-agent-sessionId')).toBe(id);
  });

  describe('propagateTo', () => {
    const urls = ['https://api.example.test/a', 'https://eu.example.test/b', THIRD_PARTY + '/c'];
    const propagated = async (options: AgentOptions) => {
      installAgent(options);
      for (const url of urls) await fetch(url);
      await fetch('/same-origin');
      return network.requests.map((request) => request.headers.has('loupe-agent-sessionId'));
    };

    it('takes origin strings', async () => {
      expect(await propagated({ propagateTo: ['https://api.example.test/'] })).toEqual([
        true,
        false,
        false,
        true,
      ]);
    });

    it('takes RegExps tested against the origin', async () => {
      expect(await propagated({ propagateTo: /^https:\/\/[a-z]+\.example\.test$/ })).toEqual([
        true,
        true,
        false,
        true,
      ]);
    });

    it('takes a function of the resolved URL that decides alone', async () => {
      expect(
        await propagated({
          propagateTo: (url) => url.hostname === 'eu.example.test' || url.pathname === '/c',
        }),
      ).toEqual([false, true, true, false]);
    });
  });

  it("does not touch the agent's own log requests, even through another agent's patch", async () => {
    const { id: first } = installAgent();
    const second = createAgent({ captureErrors: false });
    second.information('Test', 'through the first agent');
    await second.flush();
    const [log] = network.logRequests();
    expect(log!.headers.get('loupe-agent-sessionId')).toBe(second.diagnostics().agentSessionId);
    expect(log!.headers.get('loupe-agent-sessionId')).not.toBe(first);
  });
});

describe('fetch reads the init the app gave', () => {
  it('with members it inherits and getters that read private state', async () => {
    const { id } = installAgent();
    class Options {
      #method = 'POST';
      get method() {
        return this.#method;
      }
    }
    Object.assign(Options.prototype, { body: 'from the prototype', headers: { 'X-App': 'yes' } });
    await fetch('/class-init', new Options() as RequestInit);
    const sent = seen('/class-init');
    expect(sent.method).toBe('POST');
    expect(sent.body).toBe('from the prototype');
    expect(sent.headers.get('x-app')).toBe('yes');
    expect(sent.headers.get('loupe-agent-sessionId')).toBe(id);
  });

  it('with members on a plain object it inherits from', async () => {
    const { id } = installAgent();
    const base = { method: 'PUT', body: 'inherited' };
    await fetch('/inherited-init', Object.create(base));
    const sent = seen('/inherited-init');
    expect([sent.method, sent.body]).toEqual(['PUT', 'inherited']);
    expect(sent.headers.get('loupe-agent-sessionId')).toBe(id);
  });
});
