import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { type TestServer, startServer } from '../helpers/server';

let browser: Browser;
let server: TestServer;
let thirdParty: TestServer;
const pages: Page[] = [];

beforeAll(async () => {
  [browser, server, thirdParty] = await Promise.all([
    launchChromium(),
    startServer(),
    startServer((request, response) => {
      // A third-party API that allows simple cross-origin requests but no custom headers.
      response.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain' });
      response.end('third-party');
      return true;
    }),
  ]);
});
afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.close()));
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.close(), thirdParty?.close()]);
});

let pageCount = 0;
/** Serve `html` on a fresh path and open it in a fresh page. */
async function open(html: string, headers: Record<string, string> = {}): Promise<Page> {
  const path = `/page-${++pageCount}`;
  server.page(path, '<!doctype html><html><head>' + html + '</head><body></body></html>', headers);
  const page = await browser.newPage();
  pages.push(page);
  await page.goto(server.origin + path);
  return page;
}

const loupe = (page: Page) =>
  page.waitForFunction(() => (window as any).loupe?.install).then(() => page);
const messages = (caption: string) =>
  server.logMessages().filter((message) => message.caption === caption);
const readmeSnippet = () => {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  return /<!-- snippet -->[\s\S]*?```html\n([\s\S]*?)\n```/.exec(readme)![1]!;
};

describe('with no attributes', () => {
  it('delivers messages and adds the header to same-origin ajax calls', async () => {
    const page = await loupe(await open('<script src="/dist/loupe-agent.min.js"></script>'));
    const agentId = await page.evaluate(async () => {
      const agent = (window as any).loupe;
      agent.information('Drop-in', 'plain', 'no attributes');
      await fetch('/api/plain');
      await agent.flush();
      return agent.clientSessionHeader().headerValue;
    });
    await server.waitFor(() => messages('plain').length === 1);
    expect(messages('plain')[0]).toMatchObject({
      category: 'Drop-in',
      severity: 8,
      agentSessionId: agentId,
    });
    const api = server.requests.find((request) => request.path === '/api/plain')!;
    expect(api.headers['loupe-agent-sessionid']).toBe(agentId);
  });

  it('works when loaded with async and with defer', async () => {
    for (const mode of ['async', 'defer']) {
      const page = await loupe(
        await open(`<script ${mode} src="/dist/loupe-agent.min.js"></script>`),
      );
      await page.evaluate((caption) => {
        (window as any).loupe.information('Drop-in', caption, '');
        return (window as any).loupe.flush();
      }, mode);
      await server.waitFor(() => messages(mode).length === 1);
    }
  });

  it('keeps the legacy MethodSourceInfo constructor callable with and without new', async () => {
    const page = await loupe(await open('<script src="/dist/loupe-agent.min.js"></script>'));
    await page.evaluate(() => {
      const agent = (window as any).loupe;
      const source = new agent.MethodSourceInfo('app.js', 'save', 10, 4);
      agent.information('Drop-in', 'with new', '', null, null, null, source);
      agent.information(
        'Drop-in',
        'called',
        '',
        null,
        null,
        null,
        agent.MethodSourceInfo('a.js', 'run'),
      );
      return agent.flush();
    });
    await server.waitFor(() => messages('with new').length + messages('called').length === 2);
    expect(messages('with new')[0]!.methodSourceInfo).toEqual({
      file: 'app.js',
      method: 'save',
      line: 10,
      column: 4,
    });
    expect(messages('called')[0]!.methodSourceInfo).toEqual({
      file: 'a.js',
      method: 'run',
      line: null,
      column: null,
    });
  });

  it('does nothing when loaded twice', async () => {
    const page = await loupe(
      await open(
        '<script src="/dist/loupe-agent.min.js"></script><script src="/dist/loupe-agent.min.js?again"></script>',
      ),
    );
    const result = await page.evaluate(async () => {
      const agent = (window as any).loupe;
      const response = await fetch('/api/twice');
      agent.information('Drop-in', 'twice', '');
      await agent.flush();
      return { patches: agent.diagnostics().patches, status: response.status };
    });
    expect(result.status).toBe(200);
    expect(new Set(result.patches).size).toBe(result.patches.length);
    await server.waitFor(() => messages('twice').length === 1);
    const api = server.requests.find((request) => request.path === '/api/twice')!;
    expect(api.headers['loupe-agent-sessionid']).not.toContain(',');
    expect(messages('twice')).toHaveLength(1);
  });
});

describe('data attributes', () => {
  it('data-log-server sends the messages to that server', async () => {
    const logServer = await startServer((request, response) => {
      response.writeHead(request.method === 'OPTIONS' ? 204 : 200, {
        'Access-Control-Allow-Origin': server.origin,
        'Access-Control-Allow-Headers': 'loupe-agent-sessionId, LoupeSessionId, Content-Type',
        'Access-Control-Allow-Methods': 'POST',
      });
      response.end();
      return true;
    });
    try {
      const page = await loupe(
        await open(
          `<script src="/dist/loupe-agent.min.js" data-log-server="${logServer.origin}/"></script>`,
        ),
      );
      await page.evaluate(() => {
        (window as any).loupe.information('Drop-in', 'elsewhere', '');
        return (window as any).loupe.flush();
      });
      await logServer.waitFor(() =>
        logServer.logMessages().some((message) => message.caption === 'elsewhere'),
      );
      expect(messages('elsewhere')).toHaveLength(0);
    } finally {
      await logServer.close();
    }
  });

  it('data-propagate-to adds the header to the named origin only', async () => {
    const api = await startServer((request, response) => {
      response.writeHead(request.method === 'OPTIONS' ? 204 : 200, {
        'Access-Control-Allow-Origin': server.origin,
        'Access-Control-Allow-Headers': 'loupe-agent-sessionId, LoupeSessionId',
      });
      response.end('api');
      return true;
    });
    try {
      const page = await loupe(
        await open(
          `<script src="/dist/loupe-agent.min.js" data-propagate-to="${api.origin}"></script>`,
        ),
      );
      await page.evaluate(
        ([named, other]) => Promise.all([fetch(named + '/named'), fetch(other + '/other')]),
        [api.origin, thirdParty.origin],
      );
      const named = api.requests.find((r) => r.method === 'GET' && r.path === '/named')!;
      expect(named.headers['loupe-agent-sessionid']).toBeTruthy();
      const other = thirdParty.requests.find((request) => request.path === '/other')!;
      expect(other.headers['loupe-agent-sessionid']).toBeUndefined();
    } finally {
      await api.close();
    }
  });

  it('data-propagate="false" leaves the app requests alone', async () => {
    const page = await loupe(
      await open('<script src="/dist/loupe-agent.min.js" data-propagate="false"></script>'),
    );
    await page.evaluate(() => fetch('/api/no-propagate'));
    const api = server.requests.find((request) => request.path === '/api/no-propagate')!;
    expect(api.headers['loupe-agent-sessionid']).toBeUndefined();
  });

  it('data-propagate-on-error="false" hides uncaught errors from the console', async () => {
    const page = await loupe(
      await open(
        '<script src="/dist/loupe-agent.min.js" data-propagate-on-error="false"></script>',
      ),
    );
    const printed: string[] = [];
    page.on('pageerror', (error) => printed.push(error.message));
    await page.evaluate(() => {
      setTimeout(() => {
        throw new Error('hidden error');
      });
    });
    await server.waitFor(() =>
      messages('Error').some((message) => message.description === 'hidden error'),
    );
    expect(await page.evaluate(() => (window as any).loupe.propagateOnError)).toBe(false);
    expect(printed).toEqual([]);
  });

  it('data-capture-errors="false" does not capture errors', async () => {
    const page = await loupe(
      await open('<script src="/dist/loupe-agent.min.js" data-capture-errors="false"></script>'),
    );
    const patches = await page.evaluate(
      () => (window as any).loupe.diagnostics().patches as string[],
    );
    expect(patches.some((name) => /error|rejection/i.test(name))).toBe(false);
  });

  it('data-capture-failed-requests="false" does not log failed ajax calls', async () => {
    const page = await loupe(
      await open(
        '<script src="/dist/loupe-agent.min.js" data-capture-failed-requests="false"></script>',
      ),
    );
    await page.evaluate(async () => {
      await fetch('/api/fails?status=500').catch(() => {});
      (window as any).loupe.information('Drop-in', 'after failed request', '');
      await (window as any).loupe.flush();
    });
    await server.waitFor(() => messages('after failed request').length === 1);
    expect(
      server.logMessages().some((message) => String(message.description).includes('/api/fails')),
    ).toBe(false);
  });

  it('data-debug prints what the agent does', async () => {
    const lines: string[] = [];
    const page = await browser.newPage();
    pages.push(page);
    page.on('console', (message) => lines.push(message.text()));
    server.page(
      '/debug',
      '<!doctype html><script src="/dist/loupe-agent.min.js" data-debug></script>',
    );
    await page.goto(server.origin + '/debug');
    await loupe(page);
    await page.evaluate(() => {
      (window as any).loupe.information('Drop-in', 'debug', '');
      return (window as any).loupe.flush();
    });
    // Console events reach the test on a channel of their own: the checks wait for the lines.
    expect(lines.some((line) => /installed/.test(line))).toBe(true);
    await expect
      .poll(() => lines.some((line) => /^\[loupe-agent\] 1 messages sent: 2\d\d$/.test(line)))
      .toBe(true);
    // A request that fails says so, not "sent".
    await page.route('**/loupe/log', (route) => route.abort('connectionreset'));
    await page.evaluate(() => {
      (window as any).loupe.information('Drop-in', 'debug, failing', '');
      return (window as any).loupe.flush();
    });
    await expect.poll(() => lines).toContain('[loupe-agent] 1 messages failed: Network error');
  });
});

describe('the inline snippet', () => {
  it('replays log calls and errors from before the script loaded', async () => {
    const page = await browser.newPage();
    pages.push(page);
    // The agent arrives late; meanwhile the page logs, throws and rejects.
    server.page(
      '/snippet',
      `<!doctype html><head>${readmeSnippet()}
       <script src="/dist/snippet-early.js"></script></head>`,
    );
    await page.route('**/dist/snippet-early.js', (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: `loupe.setSessionId('early-session');
               loupe.information('Snippet', 'early call', 'before the agent');
               setTimeout(function () { throw new TypeError('early error'); });
               Promise.reject(new RangeError('early rejection'));
               setTimeout(function () {
                 var s = document.createElement('script');
                 s.src = '/dist/loupe-agent.min.js';
                 document.head.appendChild(s);
               }, 50);`,
      }),
    );
    await page.goto(server.origin + '/snippet');
    await loupe(page);
    await page.evaluate(() => (window as any).loupe.flush());
    await server.waitFor(() => messages('early call').length === 1);
    expect(messages('early call')[0]).toMatchObject({
      category: 'Snippet',
      sessionId: 'early-session',
    });
    const agentSessionId = messages('early call')[0].agentSessionId;
    await server.waitFor(
      () => server.logMessages().filter((m) => m.agentSessionId === agentSessionId).length === 3,
    );
    const errors = server
      .logMessages()
      .filter((message) => message.agentSessionId === agentSessionId && message.severity === 2);
    expect(errors.map((message) => [message.caption, message.exception?.message]).sort()).toEqual([
      ['RangeError', 'early rejection'],
      ['TypeError', 'early error'],
    ]);
    expect(errors.every((message) => message.category === 'JavaScript')).toBe(true);
  });

  it('is harmless when the agent is already there', async () => {
    const page = await loupe(
      await open(`<script src="/dist/loupe-agent.min.js"></script>${readmeSnippet()}`),
    );
    expect(await page.evaluate(() => typeof (window as any).loupe.flush)).toBe('function');
  });
});

describe('the jQuery plugin', () => {
  it('attaches the agent to a jQuery loaded after it, and to a second copy', async () => {
    const page = await loupe(
      await open(
        `<script src="/dist/loupe-agent.min.js"></script>
         <script src="/node_modules/jquery1/dist/jquery.min.js"></script>
         <script>window.oldJQuery = jQuery.noConflict(true);</script>
         <script src="/node_modules/jquery/dist/jquery.min.js"></script>
         <script src="/dist/loupe-agent.jquery.min.js"></script>
         <script type="module">
           // The second copy is attached through the plugin's ES module, as a bundled app would.
           import { attachLoupe } from '/dist/jquery.mjs';
           window.secondAttached = attachLoupe(window.oldJQuery) === window.loupe;
         </script>`,
      ),
    );
    await page.waitForFunction(() => (window as any).secondAttached);
    const result = await page.evaluate(async () => {
      const w = window as any;
      await w.jQuery.get('/api/jquery-new');
      await new Promise((resolve) => w.oldJQuery.get('/api/jquery-old', resolve));
      return {
        attached: w.jQuery.loupe === w.loupe && w.oldJQuery.loupe === w.loupe,
        patches: w.loupe.diagnostics().patches,
        id: w.loupe.clientSessionHeader().headerValue,
      };
    });
    expect(result.attached).toBe(true);
    expect(result.patches).toContain('jQuery');
    for (const path of ['/api/jquery-new', '/api/jquery-old']) {
      const request = server.requests.find((r) => r.path === path)!;
      expect(request.headers['loupe-agent-sessionid']).toBe(result.id);
    }
  });
});

describe('Content Security Policy', () => {
  it("works under script-src 'self' with Trusted Types required", async () => {
    const page = await browser.newPage();
    pages.push(page);
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        (window as any).reportViolation(event.violatedDirective + ' ' + event.blockedURI),
      );
    });
    server.page(
      '/csp',
      '<!doctype html><script src="/dist/loupe-agent.min.js"></script><script src="/dist/csp-app.js"></script>',
      {
        'Content-Security-Policy':
          "script-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'",
      },
    );
    await page.route('**/dist/csp-app.js', (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: `loupe.information('CSP', 'strict page', '');
               fetch('/api/csp').then(function () { return loupe.flush(); });
               setTimeout(function () { throw new Error('csp error'); });`,
      }),
    );
    await page.goto(server.origin + '/csp');
    await loupe(page);
    await server.waitFor(() => messages('strict page').length === 1);
    await server.waitFor(() =>
      server.logMessages().some((message) => message.exception?.message === 'csp error'),
    );
    expect(
      server.requests.find((request) => request.path === '/api/csp')!.headers[
        'loupe-agent-sessionid'
      ],
    ).toBeTruthy();
    expect(violations).toEqual([]);
  });
});
