import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Agent, type AgentOptions, createAgent } from '../../src';
import { contractProblems } from '../helpers/contract';
import { startNetwork } from '../helpers/network';

// The app's API answers with the status in its path: /api/500, /api/404…; /api/down fails and
// /api/hang never answers.
let network: ReturnType<typeof startNetwork>;
let hangSeen: Promise<void>;
const agents: Agent[] = [];
beforeEach(() => {
  let hung = () => {};
  hangSeen = new Promise((resolve) => (hung = resolve));
  sessionStorage.clear();
  localStorage.clear();
  network = startNetwork(
    ({ url }) => {
      const [, status] = /\/api\/(\w+)/.exec(new URL(url).pathname) ?? [];
      if (status === 'down') return Response.error();
      if (status === 'hang') {
        hung();
        return new Promise<Response>(() => {});
      }
      if (status) return new Response('body never read', { status: Number(status) });
      return undefined;
    },
    { realXhr: true },
  );
});
afterEach(() => {
  agents.splice(0).forEach((agent) => agent.uninstall());
  network.dispose();
});

function installAgent(options: AgentOptions = {}): Agent {
  const agent = createAgent(options).install();
  agents.push(agent);
  return agent;
}

async function sent(agent: Agent): Promise<any[]> {
  await agent.flush();
  for (const request of network.logRequests()) expect(contractProblems(request.body)).toEqual([]);
  return network.logMessages();
}

const appFetch = (path: string, init?: RequestInit) => fetch(path, init).catch((error) => error);

function appXhr(method: string, path: string): Promise<number> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    xhr.onloadend = () => resolve(xhr.status);
    xhr.send();
  });
}

describe('failed requests', () => {
  it('log a 5xx fetch as a warning with method, scrubbed URL, status and duration', async () => {
    const agent = installAgent();
    await appFetch('/api/500?page=2&access_token=abc123');
    const [message] = await sent(agent);
    const url = location.origin + '/api/500?page=2&access_token=[redacted]';
    expect(message).toMatchObject({ severity: 4, category: 'Network', caption: 'HTTP 500' });
    expect(message.description).toMatch(
      new RegExp('^GET ' + url.replace(/[?[\]]/g, '\\$&') + ' failed: HTTP 500 after \\d+ ms$'),
    );
    const details = JSON.parse(message.details);
    expect(details).toMatchObject({ kind: 'fetch', method: 'GET', url, status: 500 });
    expect(Number.isInteger(details.duration)).toBe(true);
    expect(JSON.stringify(message)).not.toContain('abc123');
  });

  it('log a network error and a 5xx XMLHttpRequest', async () => {
    const agent = installAgent();
    await appFetch('/api/down', { method: 'post', body: 'x' });
    expect(await appXhr('PUT', '/api/503?password=hunter2')).toBe(503);
    const messages = await sent(agent);
    expect(messages.map((message) => [message.caption, JSON.parse(message.details)])).toEqual([
      [
        'Network error',
        expect.objectContaining({
          kind: 'fetch',
          method: 'POST',
          status: 0,
          url: location.origin + '/api/down',
        }),
      ],
      [
        'HTTP 503',
        expect.objectContaining({
          kind: 'xhr',
          method: 'PUT',
          status: 503,
          url: location.origin + '/api/503?password=[redacted]',
        }),
      ],
    ]);
  });

  it('leave out 4xx unless captureFailedRequests is "4xx", and successes always', async () => {
    let agent = installAgent();
    await appFetch('/api/404');
    await appFetch('/api/200');
    await appXhr('GET', '/api/401');
    agent.uninstall();
    agent = installAgent({ captureFailedRequests: '4xx' });
    await appFetch('/api/404');
    await appXhr('GET', '/api/401');
    await appFetch('/api/201');
    expect((await sent(agent)).map((message) => message.caption)).toEqual(['HTTP 404', 'HTTP 401']);
  });

  it('leave out requests the app aborted', async () => {
    const agent = installAgent();
    const controller = new AbortController();
    const pending = appFetch('/api/hang', { signal: controller.signal });
    await hangSeen;
    controller.abort();
    expect((await pending).name).toBe('AbortError');
    const xhr = new XMLHttpRequest();
    xhr.open('GET', '/api/hang');
    const ended = new Promise((resolve) => (xhr.onloadend = resolve));
    xhr.send();
    xhr.abort();
    await ended;
    await appFetch('/api/500');
    expect((await sent(agent)).map((message) => message.caption)).toEqual(['HTTP 500']);
  });

  it('leave out fetches the app aborted with a reason of its own', async () => {
    const agent = installAgent();
    for (const reason of [new Error('user left'), 'navigating away', 0, undefined]) {
      const controller = new AbortController();
      const pending = appFetch('/api/hang', { signal: controller.signal });
      controller.abort(reason);
      expect(await pending).toBe(reason === undefined ? controller.signal.reason : reason);
    }
    await appFetch('/api/500');
    expect((await sent(agent)).map((message) => message.caption)).toEqual(['HTTP 500']);
  });

  it('log a fetch ended by AbortSignal.timeout() as a timeout', async () => {
    const agent = installAgent();
    const error = await appFetch('/api/hang', { signal: AbortSignal.timeout(20) });
    expect(error.name).toBe('TimeoutError');
    const [message] = await sent(agent);
    expect(message).toMatchObject({ severity: 4, category: 'Network', caption: 'Timeout' });
    expect(message.description).toMatch(
      /^GET http:\/\/\S+\/api\/hang failed: Timeout after \d+ ms$/,
    );
    expect(JSON.parse(message.details)).toMatchObject({ kind: 'fetch', status: 0, timedOut: true });
  });

  it('go through the storm limits', async () => {
    const agent = installAgent({ errorLimits: { perSignature: 2 } });
    for (let index = 0; index < 5; index++) await appFetch('/api/502?attempt=' + index);
    await appFetch('/api/503');
    expect((await sent(agent)).map((message) => message.caption)).toEqual([
      'HTTP 502',
      'HTTP 502',
      'HTTP 503',
    ]);
  });

  it('are not logged when captureFailedRequests is false, nor after uninstall', async () => {
    let agent = installAgent({ captureFailedRequests: false });
    await appFetch('/api/500');
    agent.uninstall();
    agent = installAgent();
    agent.uninstall();
    await appFetch('/api/500');
    await appXhr('GET', '/api/500');
    expect(await sent(agent)).toEqual([]);
  });

  it('are logged with propagate false, while the request goes out without the header', async () => {
    const agent = installAgent({ propagate: false });
    await appFetch('/api/500');
    const request = network.requests.find((seen) => seen.url.endsWith('/api/500'))!;
    expect(request.headers.has('loupe-agent-sessionId')).toBe(false);
    expect((await sent(agent)).map((message) => message.caption)).toEqual(['HTTP 500']);
  });

  it('are logged when captureErrors is false', async () => {
    const agent = installAgent({ captureErrors: false });
    await appFetch('/api/500');
    expect((await sent(agent)).map((message) => message.caption)).toEqual(['HTTP 500']);
  });
});
