import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { type ServerRequest, type TestServer, startServer } from '../helpers/server';

// The app's requests behave the same with and without the agent, apart from the added header.
// `site` is the page's origin; `third` stands in for a third-party API on another origin. It
// answers CORS for what the app asks (its methods and headers), never for the agent's headers.

const scenarios = readFileSync(
  join(import.meta.dirname, 'fixtures', 'transparency', 'scenarios.js'),
  'utf8',
);
const APP_HEADERS = 'content-type, x-app';
const ABANDONED = {
  fetch: ['/api/slow?fa', '/api/slow?fr'],
  xhr: ['/api/slow?xa', '/api/slow?xt'],
  jquery: [],
};
const IGNORED_PATHS = /^\/(?:page|scenarios\.js|dist\/|node_modules\/|loupe\/log|favicon\.ico)/;

let browser: Browser;
let site: TestServer;
let third: TestServer;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function answer(request: ServerRequest, response: ServerResponse, cors: boolean) {
  const path = request.path.split('?')[0];
  const headers: Record<string, string> = {};
  if (cors) {
    Object.assign(headers, {
      'Access-Control-Allow-Origin': String(request.headers.origin ?? '*'),
      'Access-Control-Allow-Credentials': 'true',
    });
    if (request.method === 'OPTIONS') {
      response.writeHead(204, {
        ...headers,
        'Access-Control-Allow-Methods': 'GET, POST, PUT',
        'Access-Control-Allow-Headers': APP_HEADERS,
        'Access-Control-Max-Age': '0',
      });
      response.end();
      return true;
    }
  }
  const send = (status: number, type: string, body: string | Buffer, extra = {}) => {
    response.writeHead(status, { ...headers, 'Content-Type': type, ...extra });
    response.end(body);
  };
  switch (path) {
    case '/api/text':
    case '/api/app-header':
      return (send(200, 'text/plain', 'hello'), true);
    case '/api/json':
      return (send(200, 'application/json', '{"a":1,"b":[1,2]}'), true);
    case '/api/xml':
      return (send(200, 'application/xml', '<root><item>1</item></root>'), true);
    case '/api/html':
      return (send(200, 'text/html', '<!doctype html><title>t</title><p>x</p>'), true);
    case '/api/bytes':
      return (send(200, 'application/octet-stream', Buffer.from([0, 1, 2, 250, 255])), true);
    case '/api/echo':
    case '/api/upload':
      return (
        send(
          200,
          'application/json',
          JSON.stringify({
            method: request.method,
            length: request.body.length,
            body: request.body.slice(0, 50),
          }),
        ),
        true
      );
    case '/api/slow':
      await delay(1500);
      if (!response.destroyed) send(200, 'text/plain', 'slow');
      return true;
    case '/api/redirect':
      return (send(302, 'text/plain', '', { Location: '/api/text?redirected' }), true);
    case '/api/redirect-away':
      return (
        send(302, 'text/plain', '', { Location: third.origin + '/api/text?redirected' }),
        true
      );
    case '/api/stream':
      response.writeHead(200, { ...headers, 'Content-Type': 'text/plain' });
      for (const part of ['one ', 'two ', 'three']) {
        response.write(part);
        await delay(30);
      }
      response.end();
      return true;
    case '/api/status/404':
      return (send(404, 'text/plain', 'missing'), true);
    case '/api/status/500':
      return (send(500, 'text/plain', 'boom'), true);
    case '/api/jsonp':
      return (send(200, 'text/javascript', 'onJsonp({"ok":true});'), true);
    case '/api/script.js':
      return (
        send(200, 'text/javascript', 'window.scriptRuns = (window.scriptRuns || 0) + 1;'),
        true
      );
  }
  if (path === '/scenarios.js') return (send(200, 'text/javascript', scenarios), true);
  return false;
}

beforeAll(async () => {
  [browser, site, third] = await Promise.all([
    launchChromium(),
    startServer((request, response) => answer(request, response, false)),
    startServer((request, response) => answer(request, response, true)),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await third?.close();
});

/** What a server saw, in order, as comparable data: the agent's own header taken out. */
function seen(server: TestServer, from: number, agentId?: string) {
  return server.requests
    .slice(from)
    .filter((request) => !IGNORED_PATHS.test(request.path))
    .map(({ method, path, body, headers }) => {
      const kept = { ...headers };
      if (agentId && kept['loupe-agent-sessionid'] === agentId)
        delete kept['loupe-agent-sessionid'];
      return { method, path, body, headers: kept };
    });
}

interface Run {
  results: unknown;
  agentId: string | undefined;
  site: ServerRequest[];
  sitePaths: ReturnType<typeof seen>;
  third: ReturnType<typeof seen>;
}

/** Load the page, with or without the agent, run one group of scenarios and record everything. */
async function run(
  group: 'fetch' | 'xhr' | 'jquery',
  withAgent: boolean,
  jquery = 'jquery3',
): Promise<Run> {
  site.page(
    '/page',
    '<!doctype html><meta charset="utf-8">' +
      `<script src="/node_modules/${jquery}/dist/jquery.min.js"></script>` +
      (withAgent ? '<script src="/dist/loupe-agent.min.js"></script>' : '') +
      '<script src="/scenarios.js"></script>',
  );
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(site.origin + '/page?run');
    await page.evaluate(() => (document.cookie = 'app=1; path=/'));
    const siteFrom = site.requests.length;
    const thirdFrom = third.requests.length;
    const agentId = withAgent
      ? await page.evaluate(() => {
          const loupe = (window as any).loupe;
          if (!loupe.diagnostics().patches.includes('jQuery'))
            throw new Error('no jQuery prefilter');
          return loupe.clientSessionHeader().headerValue as string;
        })
      : undefined;
    const results = await page.evaluate(
      ([name, origin]) => (window as any).scenarios[name](origin),
      [group, third.origin] as const,
    );
    // Requests the page gave up on (aborts, timeouts) have reached the server too.
    const abandoned = ABANDONED[group];
    await site.waitFor(() =>
      abandoned.every((path) => site.requests.slice(siteFrom).some((r) => r.path === path)),
    );
    return {
      results,
      agentId,
      site: site.requests.slice(siteFrom).filter((request) => !IGNORED_PATHS.test(request.path)),
      sitePaths: seen(site, siteFrom, agentId),
      third: seen(third, thirdFrom),
    };
  } finally {
    await context.close();
  }
}

function expectTransparent(plain: Run, agent: Run) {
  expect(agent.results).toEqual(plain.results);
  expect(agent.sitePaths).toEqual(plain.sitePaths);
  expect(agent.third).toEqual(plain.third);
  // The third party saw no loupe header at all, and no more preflights than without the agent.
  for (const request of agent.third) {
    expect(request.headers['loupe-agent-sessionid'], request.path).toBeUndefined();
    expect(request.headers['loupesessionid'], request.path).toBeUndefined();
  }
  const preflights = (run: Run) =>
    run.third.filter((request) => request.method === 'OPTIONS').length;
  expect(preflights(agent)).toBe(preflights(plain));
  // Every same-origin ajax request carried the header exactly once: the agent's id, or the app's.
  expect(agent.site.length).toBeGreaterThan(0);
  for (const request of agent.site) {
    const expected = request.path.startsWith('/api/app-header') ? 'app-value' : agent.agentId;
    expect(request.headers['loupe-agent-sessionid'], request.path).toBe(expected);
    expect(request.headers['loupesessionid'], request.path).toBeUndefined();
  }
}

describe('with and without the agent', () => {
  it('fetch behaves the same', async () => {
    const plain = await run('fetch', false);
    const agent = await run('fetch', true);
    expectTransparent(plain, agent);
  });

  it('XMLHttpRequest behaves the same', async () => {
    const plain = await run('xhr', false);
    const agent = await run('xhr', true);
    expectTransparent(plain, agent);
  });

  for (const [name, folder] of [
    ['jQuery 1.12', 'jquery1'],
    ['jQuery 3', 'jquery3'],
    ['jQuery 4', 'jquery'],
  ] as const) {
    it(`${name} behaves the same`, async () => {
      const plain = await run('jquery', false, folder);
      const agent = await run('jquery', true, folder);
      expectTransparent(plain, agent);
    });
  }
});

describe('with the agent', () => {
  it('sends LoupeSessionId once after setSessionId, and takes the headers along a redirect to another origin', async () => {
    site.page('/page', '<!doctype html><script src="/dist/loupe-agent.min.js"></script>');
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(site.origin + '/page');
      const siteFrom = site.requests.length;
      const thirdFrom = third.requests.length;
      const outcomes = await page.evaluate(async () => {
        (window as any).loupe.setSessionId('explicit-1');
        const xhr = new XMLHttpRequest();
        xhr.open('GET', '/api/text?explicit-xhr', false);
        xhr.send();
        return [
          await fetch('/api/text?explicit-fetch').then((response) => response.status),
          // The redirect target is asked to allow the agent's headers, which it does not.
          await fetch('/api/redirect-away').then(
            (response) => response.status,
            (error) => error.name,
          ),
        ];
      });
      expect(outcomes).toEqual([200, 'TypeError']);
      const sent = site.requests.slice(siteFrom).filter((r) => r.path.startsWith('/api/'));
      expect(sent.map((r) => [r.path, r.headers['loupesessionid']])).toEqual([
        ['/api/text?explicit-xhr', 'explicit-1'],
        ['/api/text?explicit-fetch', 'explicit-1'],
        ['/api/redirect-away', 'explicit-1'],
      ]);
      const [preflight] = third.requests.slice(thirdFrom);
      expect(preflight!.method).toBe('OPTIONS');
      expect(preflight!.headers['access-control-request-headers']).toBe(
        'loupe-agent-sessionid,loupesessionid',
      );
    } finally {
      await context.close();
    }
  });

  it('reports failed requests, but not opaque responses nor requests the app aborted', async () => {
    site.page('/page', '<!doctype html><script src="/dist/loupe-agent.min.js"></script>');
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(site.origin + '/page');
      const logsFrom = site.logRequests().length;
      const outcomes = await page.evaluate(async (thirdOrigin) => {
        const xhr = (url: string, abortAfter?: number) =>
          new Promise((resolve) => {
            const request = new XMLHttpRequest();
            request.open('GET', url);
            request.onloadend = () => resolve(request.status);
            request.send();
            if (abortAfter !== undefined) setTimeout(() => request.abort(), abortAfter);
          });
        const described = (response: Response) => response.type + ' ' + response.status;
        const outcomes = [
          // Opaque responses hide their status: 0, which is no network error.
          await fetch(thirdOrigin + '/api/status/500', { mode: 'no-cors' }).then(described),
          await fetch('/api/redirect', { redirect: 'manual' }).then(described),
          await xhr('/api/slow?aborted', 50),
          await xhr('/api/status/500'),
          await fetch('/api/status/500').then(described),
        ];
        await (window as any).loupe.flush();
        return outcomes;
      }, third.origin);
      expect(outcomes).toEqual(['opaque 0', 'opaqueredirect 0', 0, 500, 'basic 500']);
      const reported = site
        .logRequests()
        .slice(logsFrom)
        .flatMap((request) => JSON.parse(request.body).logMessages)
        .filter((message) => message.category === 'Network')
        .map((message) => [message.caption, JSON.parse(message.details).kind]);
      expect(reported).toEqual([
        ['HTTP 500', 'xhr'],
        ['HTTP 500', 'fetch'],
      ]);
    } finally {
      await context.close();
    }
  });
});
