import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type RunningDemo, startDemo } from '../../demo/startDemo';
import { validBody } from './server-fixtures';

// The `npm start` runtime over real HTTP: the app and its log endpoint, the third-party API, the
// viewer's API and live feed, and the SQLite data surviving a restart.

let folder: string;
let demo: RunningDemo;
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'loupe-demo-'));
  demo = await startDemo({ port: 0, thirdPartyPort: 0, dataDirectory: folder });
});
afterAll(async () => {
  await demo?.close();
  rmSync(folder, { recursive: true, force: true });
});

const origin = () => demo.demoUrl.slice(0, -1);

async function sessions(): Promise<any[]> {
  return ((await (await fetch(origin() + '/viewer/api/sessions')).json()) as any).sessions;
}

/** Resolves with the next event of the viewer's live feed after `action` ran. */
function nextLiveEvent(action: () => Promise<unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get(origin() + '/viewer/events', (response) => {
      let seen = 0;
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        for (const event of text.split('\n\n').filter((part) => part.includes('data:'))) {
          // The first event is the current revision, sent on connection.
          if (seen++ === 0) action().catch(reject);
          else {
            request.destroy();
            resolve(event);
          }
        }
      });
    });
    request.on('error', reject);
  });
}

it('serves the demo page with the drop-in script, a session cookie and a strict CSP', async () => {
  const response = await fetch(demo.demoUrl, { headers: { Accept: 'text/html' } });
  expect(response.status).toBe(200);
  expect(response.headers.get('set-cookie')).toMatch(
    /^LoupeSessionId=[0-9a-f-]{36}; Path=\/; SameSite=Lax$/,
  );
  expect(response.headers.get('content-security-policy')).toContain("script-src 'self';");
  expect(response.headers.get('content-security-policy')).toContain(
    `connect-src 'self' ${demo.thirdPartyOrigin};`,
  );
  const html = await response.text();
  expect(html).toContain('<script src="/dist/loupe-agent.min.js"></script>');
  expect(html).toContain(`<meta name="third-party-origin" content="${demo.thirdPartyOrigin}" />`);
  for (const path of [
    '/static/demo.js',
    '/static/viewer.js',
    '/static/viewer.css',
    '/vendor/jquery.min.js',
  ]) {
    expect((await fetch(origin() + path)).status, path).toBe(200);
  }
  const viewer = await fetch(demo.viewerUrl);
  expect(viewer.headers.get('content-security-policy')).toContain("script-src 'self';");
  expect((await fetch(origin() + '/static/..%2Fpackage.json')).status).toBe(404);
});

it('records the app requests with the ids they carried, and the third-party ones without', async () => {
  const headers = { Cookie: 'LoupeSessionId=session-a', 'loupe-agent-sessionId': 'agent-a' };
  const answer = await fetch(origin() + '/api/greeting?via=fetch', { headers });
  expect(await answer.json()).toMatchObject({
    via: 'fetch',
    receivedSessionId: 'session-a',
    receivedAgentSessionId: 'agent-a',
  });
  const thirdParty = await fetch(demo.thirdPartyOrigin + '/quote?via=fetch', {
    headers: { Origin: origin() },
  });
  expect(thirdParty.headers.get('access-control-allow-origin')).toBe(origin());
  expect(await thirdParty.json()).toMatchObject({
    receivedSessionId: null,
    receivedAgentSessionId: null,
  });
  // The third party allows the page's origin, but not the Loupe headers.
  const preflight = await fetch(demo.thirdPartyOrigin + '/quote', {
    method: 'OPTIONS',
    headers: {
      Origin: origin(),
      'Access-Control-Request-Method': 'GET',
      'Access-Control-Request-Headers': 'loupe-agent-sessionid',
    },
  });
  expect(preflight.headers.get('access-control-allow-headers')).toBeNull();

  const all = await sessions();
  expect(all.find((session) => session.id === 'session-a')).toMatchObject({
    requests: 1,
    agentSessions: [expect.objectContaining({ id: 'agent-a', requests: 1 })],
  });
  expect(all.find((session) => session.id === null)).toMatchObject({ requests: 2 });
});

it('tells the open viewers when messages arrive, and keeps them across a restart', async () => {
  const event = await nextLiveEvent(() =>
    fetch(demo.logEndpoint, {
      method: 'POST',
      headers: { Cookie: 'LoupeSessionId=session-a', 'loupe-agent-sessionId': 'agent-a' },
      body: JSON.stringify(validBody()),
    }),
  );
  expect(event).toMatch(/^data: \d+$/);
  const before = await sessions();
  // The message under customer-42 came from the same tab: it joins session-a.
  expect(before.find((session) => session.id === 'session-a')).toMatchObject({
    ids: ['session-a', 'customer-42'],
    messages: 3,
    requests: 1,
  });

  await demo.close();
  demo = await startDemo({ port: 0, thirdPartyPort: 0, dataDirectory: folder });

  expect(await sessions()).toEqual(before);
  const timeline = (await (
    await fetch(origin() + '/viewer/api/timeline?session=session-a')
  ).json()) as any;
  expect(timeline.items.map((item: any) => item.message?.caption ?? item.request.url)).toEqual([
    // Newest first: the request came now, the messages carry their 2025 time stamps.
    '/api/greeting?via=fetch',
    'Idle',
    'TypeError',
    'Checkout started',
  ]);
});

it('takes the next free port when the one asked for is in use', async () => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const taken = (busy.address() as AddressInfo).port;
  const second = mkdtempSync(join(tmpdir(), 'loupe-demo-'));
  const other = await startDemo({ port: taken, dataDirectory: second });
  try {
    expect(other.port).toBeGreaterThan(taken);
    expect(other.port).toBeLessThan(taken + 20);
    expect(other.demoUrl).toBe(`http://127.0.0.1:${other.port}/`);
    expect(other.thirdPartyPort).toBeGreaterThan(other.port);
    expect((await fetch(other.demoUrl)).status).toBe(200);
  } finally {
    await other.close();
    await new Promise((resolve) => busy.close(resolve));
    rmSync(second, { recursive: true, force: true });
  }
});

it('prints session ids the app set in full, and GUIDs by their first 8 characters', async () => {
  const lines: string[] = [];
  const second = mkdtempSync(join(tmpdir(), 'loupe-demo-'));
  const other = await startDemo({
    port: 0,
    thirdPartyPort: 0,
    dataDirectory: second,
    log: (line) => lines.push(line),
  });
  try {
    await fetch(other.demoUrl + 'api/greeting?via=fetch', {
      headers: {
        LoupeSessionId: 'customer-a1b2c3',
        'loupe-agent-sessionId': 'fb0ac45f-265f-4ff5-952c-50fae5da0755',
      },
    });
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    expect(lines[0]).toBe(
      'GET /api/greeting?via=fetch 200  session customer-a1b2c3  agent fb0ac45f',
    );
  } finally {
    await other.close();
    rmSync(second, { recursive: true, force: true });
  }
});
