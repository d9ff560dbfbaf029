import { afterEach, beforeEach, expect, it } from 'vitest';
import { type Agent, createAgent } from '../../src';
import { startNetwork } from '../helpers/network';

let network: ReturnType<typeof startNetwork>;
let agent: Agent | undefined;

beforeEach(() => {
  sessionStorage.clear();
  // happy-dom's own XMLHttpRequest, so the patched prototype methods run. Any origin answers
  // CORS with whatever was asked, so cross-origin requests go through.
  network = startNetwork(
    (request) =>
      new Response(null, {
        status: request.method === 'OPTIONS' ? 204 : 200,
        headers: {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Methods': '*',
          'Access-Control-Allow-Headers':
            request.headers.get('access-control-request-headers') ?? '*',
        },
      }),
    { realXhr: true },
  );
});
afterEach(() => {
  agent?.uninstall();
  agent = undefined;
  network.dispose();
});

function installAgent() {
  agent = createAgent({ captureErrors: false }).install();
  return agent.diagnostics().agentSessionId;
}

function send(
  url: string,
  { method = 'GET', headers = {} as Record<string, string>, body = null as string | null } = {},
  xhr = new XMLHttpRequest(),
): Promise<XMLHttpRequest> {
  return new Promise((resolve) => {
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.onloadend = () => resolve(xhr);
    xhr.send(body);
  });
}

const sentTo = (path: string) =>
  network.requests.filter((request) => new URL(request.url).pathname === path);

it('adds the agent session header to a same-origin request', async () => {
  const id = installAgent();
  const xhr = await send('/api/orders', { method: 'POST', body: 'hello' });
  expect(xhr.status).toBe(200);
  const [request] = sentTo('/api/orders');
  expect(request!.headers.get('loupe-agent-sessionId')).toBe(id);
  expect(request!.headers.has('LoupeSessionId')).toBe(false);
  expect(request!.body).toBe('hello');
});

it('sends the header once per send when an xhr is reused', async () => {
  const id = installAgent();
  const xhr = new XMLHttpRequest();
  await send('/first', {}, xhr);
  await send('/second', { headers: { 'X-App': '1' } }, xhr);
  for (const path of ['/first', '/second']) {
    const [request] = sentTo(path);
    expect(request!.headers.get('loupe-agent-sessionId')).toBe(id);
  }
  expect(sentTo('/second')[0]!.headers.get('x-app')).toBe('1');
});

it('does not add a header the app set, in any letter case', async () => {
  installAgent();
  agent!.setSessionId('explicit');
  await send('/mine', {
    headers: { 'LOUPE-AGENT-SESSIONID': 'app-value', loupesessionid: 'app-session' },
  });
  const [request] = sentTo('/mine');
  expect(request!.headers.get('loupe-agent-sessionId')).toBe('app-value');
  expect(request!.headers.get('LoupeSessionId')).toBe('app-session');
});

it('sends LoupeSessionId only after setSessionId', async () => {
  const id = installAgent();
  await send('/before');
  agent!.setSessionId('explicit-2');
  await send('/after');
  expect(sentTo('/before')[0]!.headers.has('LoupeSessionId')).toBe(false);
  expect(sentTo('/after')[0]!.headers.get('LoupeSessionId')).toBe('explicit-2');
  expect(sentTo('/after')[0]!.headers.get('loupe-agent-sessionId')).toBe(id);
});

// happy-dom preflights every cross-origin XHR; Chromium shows the agent adds no preflight.
it('adds nothing to third-party origins', async () => {
  installAgent();
  await send('https://third-party.test/pixel');
  await send('//third-party.test/relative');
  const sent = network.requests.filter((request) => request.method === 'GET');
  expect(sent.map((request) => request.url)).toEqual([
    'https://third-party.test/pixel',
    'http://third-party.test/relative',
  ]);
  for (const request of network.requests)
    expect(request.headers.has('loupe-agent-sessionId')).toBe(false);
});

it('decides by the URL of the last open()', async () => {
  installAgent();
  const xhr = new XMLHttpRequest();
  xhr.open('GET', '/same-origin');
  await send('https://third-party.test/reopened', {}, xhr);
  const sent = network.requests.filter((request) => request.method === 'GET');
  expect(sent.map((request) => request.url)).toEqual(['https://third-party.test/reopened']);
  expect(sent[0]!.headers.has('loupe-agent-sessionId')).toBe(false);
});

it('leaves a request the app made non-extensible to itself, and it still goes out', async () => {
  installAgent();
  const xhr = Object.preventExtensions(new XMLHttpRequest());
  const done = await send('/sealed', { headers: { 'X-App': '1' } }, xhr);
  expect(done.status).toBe(200);
  const [request] = sentTo('/sealed');
  expect(request!.headers.get('x-app')).toBe('1');
  expect(request!.headers.has('loupe-agent-sessionId')).toBe(false);
});

it('keeps no state where the app can see it by enumerating the request', async () => {
  installAgent();
  const xhr = await send('/plain', {});
  expect(Object.keys(xhr)).toEqual(Object.keys(new XMLHttpRequest()));
  expect(JSON.stringify(xhr)).toBe(JSON.stringify(new XMLHttpRequest()));
});
