import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { type TestServer, startServer } from '../helpers/server';
import { expectNothingAstray, openWatchedPage } from '../helpers/watchedPage';

// A page's mistakes with the agent get one clear console line naming what was wrong, and cost no
// message: checked on what the page printed and on what reached the log server.

let browser: Browser;
let server: TestServer;
const contexts: BrowserContext[] = [];
// What the pages may ask the local server for, besides their log requests.
const GETS = /^\/(page|dist|api)\/|^\/favicon\.ico$/;

beforeAll(async () => {
  [browser, server] = await Promise.all([
    launchChromium(),
    // An API path that fails, for the failed-request capture.
    startServer((request, response) => {
      if (request.path != '/api/fails') return false;
      response.writeHead(500);
      response.end();
      return true;
    }),
  ]);
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

let pageNumber = 0;
/** A watched tab on a new page with the drop-in script, its tag carrying `attributes`. */
async function open(attributes = '') {
  const watched = await openWatchedPage(browser);
  contexts.push(watched.context);
  const path = '/page/mistakes-' + ++pageNumber;
  server.page(
    path,
    `<!doctype html><script src="/dist/loupe-agent.min.js" ${attributes}></script>`,
  );
  await watched.page.goto(server.origin + path);
  return watched;
}

const agentSessionId = (page: Page) =>
  page.evaluate(() => (window as any).loupe.clientSessionHeader().headerValue as string);
const messagesFrom = (id: string) =>
  server.logMessages().filter((message) => message.agentSessionId === id);
const captionsFrom = (id: string) => messagesFrom(id).map((message) => message.caption);

/** The console errors that name an option the agent did not take. */
const optionErrors = (lines: Array<{ type: string; text: string }>) =>
  lines.filter((line) => /^\[loupe-agent\] .*\boption /.test(line.text));

it('data-max-message-size="60KB" is named once in the console and leaves the default in place: messages go out, none is dropped', async () => {
  const { page, astray, settled } = await open('data-max-message-size="60KB"');
  const lines = await settled();
  expect(lines).toEqual([
    { type: 'error', text: expect.stringMatching(/option maxMessageSize 60KB$/) },
  ]);

  const id = await agentSessionId(page);
  await page.evaluate(() => {
    const loupe = (window as any).loupe;
    loupe.information('Mistakes', 'small', 'a message of a few bytes');
    // Over the default 60 KiB: its details are cut to fit, the message goes out.
    loupe.information('Mistakes', 'big', '', [], null, 'z'.repeat(100_000));
    return loupe.flush();
  });
  expect(captionsFrom(id)).toEqual(['small', 'big']);
  const [small, big] = messagesFrom(id);
  expect(small.description).toBe('a message of a few bytes');
  expect(Buffer.byteLength(JSON.stringify(big))).toBeLessThanOrEqual(61440);
  expect(big.details.length).toBeLessThan(100_000);
  expect(big.details).toContain('zzzz');
  expect(await settled()).toHaveLength(1);
  expectNothingAstray(astray, server, GETS);
});

it('data-* attributes of the wrong kind are named once each, and their defaults apply', async () => {
  const { page, astray, settled } = await open(
    'data-batch-size="-3" data-propagate="no" data-debug="yes" data-flush-interval',
  );
  const errors = optionErrors(await settled());
  expect(errors.map((line) => line.type)).toEqual(['error', 'error', 'error', 'error']);
  expect(errors.map((line) => line.text.replace(/^.*\boption /, '')).sort()).toEqual([
    'batchSize -3',
    'debug yes',
    'flushInterval true',
    'propagate no',
  ]);

  const id = await agentSessionId(page);
  await page.evaluate(async () => {
    const loupe = (window as any).loupe;
    for (const caption of ['default-1', 'default-2', 'default-3'])
      loupe.information('Mistakes', caption, '');
    // propagate's default: the app's own requests carry the agent session.
    await fetch('/api/checked');
    await loupe.flush();
  });
  // batchSize's default: one request for the three.
  const requests = server
    .logRequests()
    .filter((request) => request.body.includes('"agentSessionId":"' + id + '"'));
  expect(requests).toHaveLength(1);
  expect(captionsFrom(id)).toEqual(['default-1', 'default-2', 'default-3']);
  const api = server.requests.find((request) => request.path == '/api/checked');
  expect(api?.headers['loupe-agent-sessionid']).toBe(id);
  // debug's default: nothing else printed.
  expect(await settled()).toHaveLength(4);
  expectNothingAstray(astray, server, GETS);
});

it('install() options of the wrong type in a bundle are named once each, and their defaults apply', async () => {
  const { page, astray, settled } = await open();
  const id = await page.evaluate(async () => {
    (window as any).loupe.uninstall();
    // The ES module build, as a bundle carries it.
    const { install } = await new Function('return import("/dist/loupe-agent.mjs")')();
    const agent = install({
      beforeSend: 'drop',
      release: 7,
      ignoreErrors: 5,
      errorLimits: 3,
      captureFailedRequests: '6xx',
      minSeverity: 'loud',
      credentials: 'yes',
    });
    agent.verbose('Mistakes', 'verbose', '');
    await fetch('/api/fails');
    agent.recordException(new Error('error 5'));
    await agent.flush();
    return agent.clientSessionHeader().headerValue as string;
  });
  const errors = optionErrors(await settled());
  expect(errors.map((line) => line.text.replace(/^.*\boption (\w+).*$/, '$1')).sort()).toEqual([
    'beforeSend',
    'captureFailedRequests',
    'credentials',
    'errorLimits',
    'ignoreErrors',
    'minSeverity',
    'release',
  ]);
  // Every message went out as without those options: none dropped by beforeSend or
  // minSeverity, the failed request (a 500) logged, the error not ignored, no release.
  await server.waitFor(() => captionsFrom(id).length >= 3);
  expect(captionsFrom(id).sort()).toEqual(['Error', 'HTTP 500', 'verbose']);
  for (const message of messagesFrom(id))
    expect(JSON.parse(message.details).loupe.release).toBeUndefined();
  expectNothingAstray(astray, server, GETS);
});

it('data-log-server="logs.example.com" is named once in the console, and the messages wait for a usable server', async () => {
  const { page, astray, settled } = await open('data-log-server="logs.example.com"');
  const lines = await settled();
  expect(lines).toEqual([{ type: 'error', text: expect.any(String) }]);
  expect(lines[0]!.text).toMatch(/^\[loupe-agent\] /);
  expect(lines[0]!.text).toContain('"logs.example.com"');

  const id = await agentSessionId(page);
  const queued = await page.evaluate(async () => {
    const loupe = (window as any).loupe;
    for (const caption of ['waiting-1', 'waiting-2', 'waiting-3'])
      loupe.information('Mistakes', caption, '');
    // Had it sent them anywhere (a path on this origin, another host), it would be by now.
    await loupe.flush();
    return loupe.diagnostics().queued as number;
  });
  expect(queued).toBe(3);
  expect(messagesFrom(id)).toEqual([]);
  expectNothingAstray(astray, server, GETS);

  // The page's own origin: what waited goes out, with no flush() to ask for it.
  await page.evaluate(() => (window as any).loupe.setLogServer(null));
  await server.waitFor(() => messagesFrom(id).length >= 3);
  await page.evaluate(() => (window as any).loupe.flush());
  expect(captionsFrom(id)).toEqual(['waiting-1', 'waiting-2', 'waiting-3']);
  expect(await settled()).toHaveLength(1);
  expectNothingAstray(astray, server, GETS);
});

it('setLogServer() with a host name, a javascript: or an ftp: URL names each once, sends nothing, and keeps the messages', async () => {
  const { page, astray, settled } = await open();
  const id = await agentSessionId(page);
  const mistakes = ['logs.example.com', 'javascript:alert(1)', 'ftp://logs.example.com/'];
  const queued = await page.evaluate(async (mistakes) => {
    const loupe = (window as any).loupe;
    let caption = 0;
    for (const url of mistakes) {
      loupe.setLogServer(url);
      loupe.information('Mistakes', 'held-' + ++caption, '');
      await loupe.flush();
    }
    return loupe.diagnostics().queued as number;
  }, mistakes);
  expect(queued).toBe(3);
  expect(messagesFrom(id)).toEqual([]);
  const lines = await settled();
  expect(lines.map((line) => line.type)).toEqual(['error', 'error', 'error']);
  mistakes.forEach((url, index) => {
    expect(lines[index]!.text).toMatch(/^\[loupe-agent\] /);
    // Named as given, a trailing slash aside.
    expect(lines[index]!.text).toContain('"' + url.replace(/\/$/, '') + '"');
  });
  expectNothingAstray(astray, server, GETS);

  await page.evaluate(() => (window as any).loupe.setLogServer(null));
  await server.waitFor(() => messagesFrom(id).length >= 3);
  await page.evaluate(() => (window as any).loupe.flush());
  expect(captionsFrom(id)).toEqual(['held-1', 'held-2', 'held-3']);
  expect(await settled()).toHaveLength(3);
  expectNothingAstray(astray, server, GETS);
});

it('write() with an unknown severity warns once per value and logs the message as information', async () => {
  const { page, astray, settled } = await open();
  const id = await agentSessionId(page);
  await page.evaluate(() => {
    const loupe = (window as any).loupe;
    loupe.write('loud', 'Mistakes', 'loud-1', '');
    loupe.write(99, 'Mistakes', 'ninety-nine-1', '');
    loupe.write('loud', 'Mistakes', 'loud-2', '');
    loupe.write(99, 'Mistakes', 'ninety-nine-2', '');
    // Severities by name and by number: no warning.
    loupe.write('error', 'Mistakes', 'named', '');
    loupe.write(4, 'Mistakes', 'numbered', '');
    loupe.write('information', 'Mistakes', 'information', '');
    loupe.write(8, 'Mistakes', 'eight', '');
    return loupe.flush();
  });
  const severities = Object.fromEntries(
    messagesFrom(id).map((message) => [message.caption, message.severity]),
  );
  expect(captionsFrom(id)).toHaveLength(8);
  expect(severities).toEqual({
    'loud-1': 8,
    'ninety-nine-1': 8,
    'loud-2': 8,
    'ninety-nine-2': 8,
    named: 2,
    numbered: 4,
    information: 8,
    eight: 8,
  });
  const lines = await settled();
  expect(lines.map((line) => line.type)).toEqual(['warning', 'warning']);
  expect(lines[0]!.text).toMatch(/^\[loupe-agent\] write\(loud\)/);
  expect(lines[1]!.text).toMatch(/^\[loupe-agent\] write\(99\)/);
  for (const line of lines) expect(line.text).toContain('information');
  expectNothingAstray(astray, server, GETS);
});

it('a log server on another origin that answers without CORS headers is named once, with the headers it must send; the messages wait', async () => {
  // Another origin whose answers carry no Access-Control-* header: the browser keeps them from
  // the page, which sees a network error.
  const bare = await startServer();
  try {
    const { page, astray, settled } = await open(`data-log-server="${bare.origin}" data-debug`);
    const id = await agentSessionId(page);
    const failures = async () =>
      (await settled()).filter((line) => /^\[loupe-agent\] 1 messages failed/.test(line.text))
        .length;
    await page.evaluate(() => (window as any).loupe.information('Mistakes', 'blocked', ''));
    // Four attempts: the first (with keepalive), its retry (without), then again once the page
    // hears it is online, which ends the retry wait, and its retry.
    for (const attempt of [1, 2, 3, 4]) {
      if (attempt == 3) await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await expect.poll(failures, { timeout: 10_000 }).toBe(attempt);
    }
    const notices = (await settled()).filter(
      (line) =>
        line.text.startsWith('[loupe-agent] ') && !/messages failed|installed/.test(line.text),
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]!.type).toBe('error');
    expect(notices[0]!.text).toContain(bare.origin + '/loupe/log');
    for (const header of ['Access-Control-Allow-Origin', 'Access-Control-Allow-Headers'])
      expect(notices[0]!.text).toContain(header);
    expect(bare.requests.every((request) => request.path == '/loupe/log')).toBe(true);
    expect(await page.evaluate(() => (window as any).loupe.diagnostics().queued)).toBe(1);

    // The page's own origin answers as it must: the message goes out.
    await page.evaluate(() => (window as any).loupe.setLogServer(null));
    await server.waitFor(() => messagesFrom(id).length >= 1);
    expect(captionsFrom(id)).toEqual(['blocked']);
    expectNothingAstray(astray, server, GETS);
  } finally {
    await bare.close();
  }
});
