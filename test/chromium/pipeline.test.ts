import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import {
  messagesOf as pageMessages,
  waitForMessages as waitForPageMessages,
} from '../helpers/agentMessages';
import { type TestServer, startServer } from '../helpers/server';

// What every message says of where it came from, and what the app controls of what leaves the
// page: context, beforeSend and the noise filters, set the drop-in's ways (data-* attributes and
// window.loupeOptions), checked on what the log server received.

let browser: Browser;
let server: TestServer;
let context: BrowserContext | undefined;
const SCRIPT_TYPE = { 'Content-Type': 'text/javascript' };

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startServer()]);
  server.page(
    '/pipeline/app.js',
    'function checkout() {\n  throw new TypeError("total missing");\n}\nsetTimeout(checkout);\n',
    SCRIPT_TYPE,
  );
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

let pageNumber = 0;
/** A fresh tab on a page with the drop-in (its attributes and window.loupeOptions given) and `body`. */
async function open(body: string, { attributes = '', options = '', query = '' } = {}) {
  context = await browser.newContext();
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => message.type() == 'error' && consoleErrors.push(message.text()));
  const path = '/pipeline-' + ++pageNumber;
  server.page(
    path,
    '<!doctype html>' +
      (options ? `<script>window.loupeOptions = ${options};</script>` : '') +
      `<script src="/dist/loupe-agent.min.js" ${attributes}></script>` +
      body,
  );
  await page.goto(server.origin + path + query);
  return { page, path, consoleErrors };
}

const messagesOf = (page: Page) => pageMessages(page, server);
const waitForMessages = (page: Page, count: number) => waitForPageMessages(page, server, count);

const detailsOf = (message: any) => JSON.parse(message.details);
const diagnostics = (page: Page) => page.evaluate(() => (window as any).loupe.diagnostics());

describe('context on every message, in Chromium', () => {
  it('records the page (scrubbed, no fragment) and the release on log calls and errors', async () => {
    const { page, path } = await open('<script src="/pipeline/app.js"></script>', {
      attributes: 'data-release="3.1.0"',
      query: '?access_token=s3cret&step=2#payment',
    });
    await page.evaluate(() =>
      (window as any).loupe.information('Cart', 'Opened', '', null, null, { items: 2 }),
    );
    const messages = await waitForMessages(page, 2);
    const pageUrl = server.origin + path + '?access_token=[redacted]&step=2';
    const error = messages.find((message) => message.category == 'JavaScript');
    const logged = messages.find((message) => message.caption == 'Opened');
    expect(detailsOf(logged)).toEqual({ loupe: { page: pageUrl, release: '3.1.0' }, items: 2 });
    expect(detailsOf(error)).toEqual({ loupe: { page: pageUrl, release: '3.1.0' } });
    // The exception's URL is the page, as the older agents sent it; the script stays in the
    // stack and the source.
    expect(error.exception.url).toBe(pageUrl);
    expect(error.methodSourceInfo).toMatchObject({
      file: server.origin + '/pipeline/app.js',
      method: 'checkout',
      line: 2,
    });
    expect(error.exception.stackTrace[0]).toContain(server.origin + '/pipeline/app.js:2:');
    expect(JSON.stringify(messages)).not.toContain('s3cret');
  });

  it('follows the address of a single-page app: pushState, replaceState and popstate', async () => {
    const { page, path } = await open('');
    await page.evaluate(async () => {
      const loupe = (window as any).loupe;
      loupe.information('Route', 'first');
      history.pushState(null, '', '/orders/7?token=abc#summary');
      loupe.information('Route', 'pushed');
      history.replaceState(null, '', '/orders/8');
      loupe.information('Route', 'replaced');
      location.hash = 'top';
      loupe.information('Route', 'hash');
      const popped = new Promise((resolve) =>
        addEventListener('popstate', resolve, { once: true }),
      );
      history.go(-2);
      await popped;
      loupe.information('Route', 'back');
    });
    const messages = await waitForMessages(page, 5);
    const pageOf = (caption: string) =>
      detailsOf(messages.find((message) => message.caption == caption)).loupe.page;
    expect(pageOf('first')).toBe(server.origin + path);
    expect(pageOf('pushed')).toBe(server.origin + '/orders/7?token=[redacted]');
    expect(pageOf('replaced')).toBe(server.origin + '/orders/8');
    expect(pageOf('hash')).toBe(server.origin + '/orders/8');
    expect(pageOf('back')).toBe(server.origin + path);
  });

  it('adds setContext values to later messages and removes them with undefined', async () => {
    const { page } = await open(
      `<script>
        loupe.information('App', 'before');
        loupe.setContext('userId', 'u-42');
        loupe.setContext('plan', { tier: 'pro' });
        loupe.information('App', 'with');
        loupe.setContext('userId', undefined);
        loupe.information('App', 'after');
      </script>`,
    );
    const messages = await waitForMessages(page, 3);
    const context = (caption: string) =>
      detailsOf(messages.find((message) => message.caption == caption)).loupe.context;
    expect(context('before')).toBeUndefined();
    expect(context('with')).toEqual({ userId: 'u-42', plan: { tier: 'pro' } });
    expect(context('after')).toEqual({ plan: { tier: 'pro' } });
  });
});

describe('beforeSend, in Chromium', () => {
  it('changes a message, drops one, and drops the one it throws on, saying so once', async () => {
    const { page, consoleErrors } = await open(
      `<script>
        loupe.information('Checkout', 'Card 4111-1111-1111-1111 accepted');
        loupe.information('Health', 'ping');
        loupe.information('Broken', 'one');
        loupe.information('Broken', 'two');
        loupe.information('App', 'last');
      </script>`,
      {
        options: `{
          beforeSend(message) {
            if (message.category == 'Health') return null;
            if (message.category == 'Broken') throw new Error('scrubber failed');
            message.caption = message.caption.replace(/\\d{4}(-\\d{4}){3}/, '[card]');
            message.loupe.context = { scrubbed: true };
            return message;
          },
        }`,
      },
    );
    const messages = await waitForMessages(page, 2);
    expect(messages.map((message) => message.caption)).toEqual(['Card [card] accepted', 'last']);
    expect(detailsOf(messages[0]).loupe.context).toEqual({ scrubbed: true });
    expect(JSON.stringify(messages)).not.toContain('4111');
    expect((await diagnostics(page)).dropped).toEqual({ beforeSend: 3 });
    expect(consoleErrors.filter((text) => text.includes('beforeSend'))).toEqual([
      expect.stringMatching(
        /^\[loupe-agent\] beforeSend failed, message dropped: .*scrubber failed/,
      ),
    ]);
  });
});

describe('noise and filters, in Chromium', () => {
  // Code whose stack names only a browser extension's script, thrown uncaught from a timer.
  const EXTENSION_ERROR = `<script>
    eval('function injected() { throw new Error("from an extension") }\\n//# sourceURL=chrome-extension://abcdefghijklmnop/content.js');
    setTimeout(injected);
  </script>`;
  // A real ResizeObserver loop notice, once: the first callback resizes what it observes.
  const RESIZE_LOOP = `<div id="box" style="width:10px"></div><script>
    const box = document.getElementById('box');
    new ResizeObserver(() => { box.style.width = '20px'; }).observe(box);
  </script>`;
  const MARKER = `<script>loupe.information('Test', 'marker');</script>`;

  it('drops extension-only errors and ResizeObserver loop notices by default', async () => {
    const { page } = await open(EXTENSION_ERROR + RESIZE_LOOP + MARKER);
    await expect
      .poll(async () => (await diagnostics(page)).dropped.noise ?? 0, { timeout: 10_000 })
      .toBe(2);
    const messages = await waitForMessages(page, 1);
    expect(messages.map((message) => message.caption)).toEqual(['marker']);
  });

  it('keeps them when noiseFilters is off', async () => {
    const { page } = await open(EXTENSION_ERROR + RESIZE_LOOP, {
      attributes: 'data-noise-filters="false"',
    });
    const messages = await waitForMessages(page, 2);
    const descriptions = messages.map((message) => message.description).sort();
    expect(descriptions).toEqual([
      'ResizeObserver loop completed with undelivered notifications.',
      'from an extension',
    ]);
    const fromExtension = messages.find((message) => message.description == 'from an extension');
    expect(fromExtension.methodSourceInfo.file).toBe(
      'chrome-extension://abcdefghijklmnop/content.js',
    );
  });

  it('applies ignoreErrors, denyUrls, allowUrls and minSeverity', async () => {
    server.page(
      '/pipeline/vendor/widget.js',
      'setTimeout(function widget() { throw new Error("vendor broke"); });',
      SCRIPT_TYPE,
    );
    server.page(
      '/pipeline/other.js',
      'setTimeout(function other() { throw new Error("other script broke"); });',
      SCRIPT_TYPE,
    );
    server.page(
      '/pipeline/main.js',
      'setTimeout(function main() { throw new Error("main broke"); });\nsetTimeout(function main2() { throw new Error("Request aborted by user"); });',
      SCRIPT_TYPE,
    );
    const { page } = await open(
      '<script src="/pipeline/vendor/widget.js"></script><script src="/pipeline/other.js"></script><script src="/pipeline/main.js"></script>' +
        `<script>
          loupe.verbose('App', 'verbose call');
          loupe.information('App', 'information call');
          loupe.warning('App', 'warning call');
        </script>`,
      {
        attributes: 'data-min-severity="warning" data-deny-urls="/vendor/"',
        options: `{ ignoreErrors: [/aborted by user$/], allowUrls: [/\\/pipeline\\/(main|vendor)/] }`,
      },
    );
    await expect
      .poll(async () => (await diagnostics(page)).dropped, { timeout: 10_000 })
      .toEqual({
        minSeverity: 2,
        denyUrls: 1,
        allowUrls: 1,
        ignoreErrors: 1,
      });
    const messages = await messagesOf(page);
    expect(messages.map((message) => message.description || message.caption).sort()).toEqual([
      'main broke',
      'warning call',
    ]);
  });
});
