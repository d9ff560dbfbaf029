import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import {
  messagesOf as pageMessages,
  waitForMessages as waitForPageMessages,
} from '../helpers/agentMessages';
import { type TestServer, startServer } from '../helpers/server';

let browser: Browser;
let server: TestServer;
// Another origin (another port) serving scripts, with and without CORS.
let other: TestServer;
let closedPort: number;
let context: BrowserContext | undefined;

const AGENT = '<script src="/dist/loupe-agent.min.js"></script>';
const SCRIPT_TYPE = { 'Content-Type': 'text/javascript' };

beforeAll(async () => {
  [browser, server, other, closedPort] = await Promise.all([
    launchChromium(),
    // /api/<status> answers with that status.
    startServer((request, response) => {
      const status = /^\/api\/(\d{3})/.exec(request.path)?.[1];
      if (!status) return false;
      response.writeHead(Number(status), { 'Content-Type': 'text/plain' });
      response.end('body the agent never reads');
      return true;
    }),
    startServer(),
    // A port nobody listens on: requests to it fail with a network error.
    new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    }),
  ]);
  other.page('/no-cors.js', "throw new Error('detail hidden from other origins');", SCRIPT_TYPE);
  other.page('/with-cors.js', "throw new Error('detail shared by CORS');", {
    ...SCRIPT_TYPE,
    'Access-Control-Allow-Origin': '*',
  });
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await other?.close();
});

let pageNumber = 0;
/**
 * A fresh tab on a new page with this body. Chromium reports uncaught errors and rejections to
 * Playwright as `pageerror` (not as console messages): those are what the browser printed.
 */
async function open(body: string, { fakeClock = false } = {}) {
  context = await browser.newContext();
  const page = await context.newPage();
  if (fakeClock) await page.clock.install();
  const pageErrors: string[] = [];
  const consoleMessages: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => consoleMessages.push(message.text()));
  const url = server.page('/errors-' + ++pageNumber, '<!doctype html>' + body);
  await page.goto(url);
  return { page, url, pageErrors, consoleMessages };
}

const messagesOf = (page: Page) => pageMessages(page, server);
const waitForMessages = (page: Page, count: number) => waitForPageMessages(page, server, count);

describe('uncaught errors in Chromium', () => {
  it('logs thrown Errors, strings, objects and null, timer errors and syntax errors', async () => {
    server.page('/errors/syntax.js', 'var fine = 1;\nvar broken = );\n', SCRIPT_TYPE);
    const { page, url } = await open(
      AGENT +
        '\n<script>\nfunction explode() {\n  throw new TypeError("bad total");\n}\nexplode();\n</script>' +
        '\n<script>throw "a thrown string";</script>' +
        '\n<script>throw { code: 7 };</script>' +
        '\n<script>throw null;</script>' +
        '\n<script>setTimeout(function later() { throw new RangeError("from a timer"); });</script>' +
        '\n<script src="/errors/syntax.js"></script>',
    );
    const messages = await waitForMessages(page, 6);
    const byDescription = (text: string) => messages.find((m) => m.description === text);
    for (const message of messages) {
      expect(message).toMatchObject({ severity: 2, category: 'JavaScript' });
    }
    expect(byDescription('bad total')).toMatchObject({
      caption: 'TypeError',
      exception: { message: 'bad total', url, line: 4, cause: '' },
      methodSourceInfo: { file: url, method: 'explode', line: 4 },
    });
    expect(byDescription('bad total').exception.stackTrace).toEqual([
      expect.stringMatching(/^at explode \(.*:4:\d+\)$/),
      expect.stringMatching(/^at .*:6:\d+$/),
    ]);
    expect(byDescription('a thrown string')).toMatchObject({
      caption: 'Error',
      exception: { url, line: 8, stackTrace: [] },
      methodSourceInfo: { file: url, line: 8 },
    });
    expect(byDescription('{"code":7}')).toMatchObject({ caption: 'Error', exception: { line: 9 } });
    expect(byDescription('Uncaught null')).toMatchObject({ caption: 'Error' });
    expect(byDescription('from a timer')).toMatchObject({
      caption: 'RangeError',
      methodSourceInfo: { method: 'later', line: 11 },
    });
    const syntax = messages.find((m) => m.caption === 'SyntaxError');
    expect(syntax).toMatchObject({
      // exception.url is the page the error happened on; the script's file is in methodSourceInfo.
      exception: { url, line: 2, stackTrace: [] },
      methodSourceInfo: { file: server.origin + '/errors/syntax.js', line: 2 },
    });
    expect(syntax.description).toMatch(/Unexpected token/);
    expect(messages).toHaveLength(6);
  });

  it('logs a rejection of any value with a sensible caption', async () => {
    const { page } = await open(
      AGENT +
        `<script>
        Promise.reject(new TypeError('cart is undefined'));
        Promise.reject(new DOMException('The user aborted a request.', 'AbortError'));
        Promise.reject('no cart');
        Promise.reject(404);
        Promise.reject(null);
        Promise.reject(undefined);
        Promise.reject({ status: 503 });
        Promise.reject({ toString() { throw new Error('no text'); } });
        </script>`,
    );
    const messages = await waitForMessages(page, 8);
    expect(messages.map((m) => [m.caption, m.description])).toEqual([
      ['TypeError', 'cart is undefined'],
      ['AbortError', 'The user aborted a request.'],
      ['Unhandled rejection', 'no cart'],
      ['Unhandled rejection', '404'],
      ['Unhandled rejection', 'null'],
      ['Unhandled rejection', 'undefined'],
      ['Unhandled rejection', '{"status":503}'],
      ['Unhandled rejection', '{"toString":"[Function toString]"}'],
    ]);
    expect(messages[0].exception.stackTrace[0]).toMatch(/^at /);
    for (const message of messages) expect(message.severity).toBe(2);
  });

  it('logs a cross-origin "Script error." once, saying how to get the details', async () => {
    const { page, url } = await open(
      AGENT +
        `<script src="${other.origin}/no-cors.js"></script>` +
        `<script src="${other.origin}/no-cors.js?again"></script>` +
        `<script src="${other.origin}/with-cors.js" crossorigin></script>`,
    );
    const messages = await waitForMessages(page, 2);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({
      severity: 2,
      category: 'JavaScript',
      caption: 'Script error.',
    });
    expect(messages[0].description).toContain('crossorigin');
    expect(messages[0].description).toContain('Access-Control-Allow-Origin');
    expect(JSON.stringify(messages)).not.toContain('detail hidden from other origins');
    // Following the advice works: the script with crossorigin and CORS gives its details.
    expect(messages[1]).toMatchObject({
      caption: 'Error',
      description: 'detail shared by CORS',
      exception: { url, line: 1 },
      methodSourceInfo: { file: other.origin + '/with-cors.js', line: 1 },
    });
  });
});

describe("the app's window.onerror", () => {
  const APP_HANDLER = `<script>
    window.calls = [];
    window.onerror = function (message, source, line, column, error) {
      calls.push({ self: this === window, message, source, line, column, error: error && error.message });
      return error && error.message === 'hidden by the app';
    };
    </script>`;

  it.each([
    ['before', APP_HANDLER + AGENT],
    ['after', AGENT + APP_HANDLER],
  ])(
    'set %s install is still called, and its return value still hides the error',
    async (_, head) => {
      const { page, url, pageErrors } = await open(
        head +
          '<script>throw new Error("printed");</script>' +
          '<script>throw new Error("hidden by the app");</script>' +
          '<script>throw new Error("last");</script>',
      );
      const calls = await page.evaluate(() => (window as any).calls);
      expect(calls).toEqual(
        ['printed', 'hidden by the app', 'last'].map((text) => ({
          self: true,
          message: 'Uncaught Error: ' + text,
          source: url,
          line: expect.any(Number),
          column: expect.any(Number),
          error: text,
        })),
      );
      const messages = await waitForMessages(page, 3);
      expect(messages.map((m) => m.description)).toEqual(['printed', 'hidden by the app', 'last']);
      await expect.poll(() => pageErrors.length).toBe(2);
      expect(pageErrors).toEqual(['printed', 'last']);
    },
  );
});

describe('propagateOnError in Chromium', () => {
  it('by default lets the browser report uncaught errors and rejections', async () => {
    const { page, pageErrors, consoleMessages } = await open(
      AGENT +
        '<script>Promise.reject(new Error("rejected"));</script><script>throw new Error("thrown");</script>',
    );
    await waitForMessages(page, 2);
    await expect.poll(() => [...pageErrors].sort()).toEqual(['rejected', 'thrown']);
    expect(consoleMessages).toEqual([]);
  });

  it('when false keeps them out of the console, and is read at each error', async () => {
    const { page, pageErrors } = await open(
      '<script src="/dist/loupe-agent.min.js" data-propagate-on-error="false"></script>' +
        '<script>throw new Error("quiet throw");</script>' +
        '<script>Promise.reject(new Error("quiet rejection"));</script>',
    );
    await waitForMessages(page, 2);
    // Turned back on: the next error is reported; being in order, it shows the first two were not.
    await page.evaluate(() => {
      (window as any).loupe.propagateOnError = true;
      setTimeout(() => {
        throw new Error('loud again');
      });
    });
    await waitForMessages(page, 3);
    await expect.poll(() => pageErrors).toEqual(['loud again']);
  });
});

describe('error storms in Chromium', () => {
  it('10,000 errors leave the page responsive and send a bounded number of messages', async () => {
    const { page } = await open(
      '<script src="/dist/loupe-agent.min.js" data-propagate-on-error="false"></script>',
      { fakeClock: true },
    );
    await page.evaluate(() => {
      // Real uncaught throws, from 5,000 scripts, and 5,000 error events with 100 distinct messages.
      for (let index = 0; index < 5000; index++) {
        const script = document.createElement('script');
        script.textContent = 'throw new Error("thrown by a script")';
        document.head.appendChild(script).remove();
      }
      for (let index = 0; index < 5000; index++) {
        const error = new Error('dispatched ' + (index % 100));
        window.dispatchEvent(
          new ErrorEvent('error', { error, message: error.message, cancelable: true }),
        );
      }
    });
    expect(await page.evaluate(() => 6 * 7)).toBe(42);
    const messages = await messagesOf(page);
    expect(messages.filter((m) => m.description === 'thrown by a script')).toHaveLength(5);
    expect(messages.length).toBeLessThanOrEqual(60);
    expect(messages.length).toBeGreaterThan(5);
    // A minute later, one message counts what was not logged.
    await page.clock.runFor(60_000);
    const [summary, ...more] = (await messagesOf(page)).slice(messages.length);
    expect(more).toEqual([]);
    expect(summary).toMatchObject({ severity: 4, category: 'Loupe', caption: 'Errors not logged' });
    expect(summary.description).toContain('\n4995 × Error: thrown by a script at ');
  });
});

describe('counted errors at page exit', () => {
  it('are reported when the page goes away before the minute ends', async () => {
    const { page } = await open(AGENT);
    const id = await page.evaluate(() => {
      for (let index = 0; index < 8; index++) {
        window.dispatchEvent(new ErrorEvent('error', { error: new Error('eight times') }));
      }
      return (window as any).loupe.clientSessionHeader().headerValue as string;
    });
    await page.goto(server.page('/errors-elsewhere', '<!doctype html><title>elsewhere</title>'));
    const summaryOf = () =>
      server
        .logMessages()
        .find(
          (message) => message.agentSessionId === id && message.caption === 'Errors not logged',
        );
    await server.waitFor(() => !!summaryOf());
    expect(summaryOf().description).toContain('\n3 × Error: eight times');
  });
});

describe('failed requests in Chromium', () => {
  it('logs 5xx and network errors of fetch and XMLHttpRequest, with secrets scrubbed', async () => {
    const closed = `http://127.0.0.1:${closedPort}`;
    const { page, url } = await open(AGENT);
    await page.evaluate(
      async ({ closed }) => {
        const xhr = (method: string, url: string) =>
          new Promise<void>((resolve) => {
            const request = new XMLHttpRequest();
            request.open(method, url);
            request.onloadend = () => resolve();
            request.send();
          });
        await fetch('/api/500?page=2&access_token=abc123');
        await fetch(closed + '/orders?apikey=k3y').catch(() => {});
        await xhr('PUT', '/api/503?password=hunter2');
        await xhr('GET', closed + '/orders?session=s3ss');
        // Not failures: success, 4xx by default, and a request the app aborted.
        await fetch('/api/200');
        await fetch('/api/404');
        const controller = new AbortController();
        const aborted = fetch(closed + '/never', { signal: controller.signal }).catch(() => {});
        controller.abort();
        await aborted;
      },
      { closed },
    );
    const messages = await waitForMessages(page, 4);
    expect(messages).toHaveLength(4);
    expect(JSON.stringify(messages)).not.toMatch(/abc123|k3y|hunter2|s3ss/);
    expect(messages.map((m) => [m.severity, m.category, m.caption, JSON.parse(m.details)])).toEqual(
      [
        [
          4,
          'Network',
          'HTTP 500',
          {
            kind: 'fetch',
            method: 'GET',
            url: server.origin + '/api/500?page=2&access_token=[redacted]',
            status: 500,
            duration: expect.any(Number),
            aborted: false,
            timedOut: false,
            loupe: { page: url },
          },
        ],
        [
          4,
          'Network',
          'Network error',
          expect.objectContaining({
            kind: 'fetch',
            url: closed + '/orders?apikey=[redacted]',
            status: 0,
          }),
        ],
        [
          4,
          'Network',
          'HTTP 503',
          expect.objectContaining({
            kind: 'xhr',
            method: 'PUT',
            url: server.origin + '/api/503?password=[redacted]',
            status: 503,
          }),
        ],
        [
          4,
          'Network',
          'Network error',
          expect.objectContaining({
            kind: 'xhr',
            url: closed + '/orders?session=[redacted]',
            status: 0,
          }),
        ],
      ],
    );
    expect(messages[0].description).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/api\/500\?page=2&access_token=\[redacted\] failed: HTTP 500 after \d+ ms$/,
    );
  });
});
