import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { type TestServer, startServer } from '../helpers/server';
import { expectNothingAstray, openWatchedPage } from '../helpers/watchedPage';

// One agent per page, whoever installs it: the drop-in script, a bundle, two bundles, or the same
// agent twice. Checked on what reached the log server (each uncaught error once, from the one
// installed agent) and on what the page printed.

let browser: Browser;
let server: TestServer;
const contexts: BrowserContext[] = [];
// What the pages may ask the local server for, besides their log requests.
const GETS = /^\/(page|dist|api)\/|^\/favicon\.ico$/;

// `load` imports the ES module build by URL, as a bundle would carry it (another query string is
// another copy); `raise` and `reject` end once the agent has seen the error, since the agent's
// listener came first.
const HEAD = `<!doctype html>
<script>
  window.load = (url) => import(url);
  window.raise = (text) => new Promise((resolve) => {
    addEventListener('error', () => resolve(), { once: true });
    setTimeout(() => { throw new Error(text); });
  });
  window.reject = (text) => new Promise((resolve) => {
    addEventListener('unhandledrejection', () => resolve(), { once: true });
    Promise.reject(new Error(text));
  });
</script>`;
const DROP_IN = '<script src="/dist/loupe-agent.min.js"></script>';

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startServer()]);
  server.page('/page/bundle', HEAD);
  server.page('/page/drop-in', HEAD + DROP_IN);
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string) {
  const watched = await openWatchedPage(browser);
  contexts.push(watched.context);
  await watched.page.goto(server.origin + path);
  return watched;
}

let errorNumber = 0;
const uniqueText = (what: string) => `${what} ${++errorNumber} at ${Date.now()}`;

/** The uncaught errors and rejections the server received with this message. */
const errorsWith = (text: string) =>
  server
    .logMessages()
    .filter((message) => message.category === 'JavaScript' && message.description === text);

it('install() twice on a bundle agent returns that agent, and logs each uncaught error once', async () => {
  const { page, astray, settled } = await open('/page/bundle');
  const thrown = uniqueText('thrown');
  const rejected = uniqueText('rejected');
  const result = await page.evaluate(
    async ([thrown, rejected]) => {
      const { createAgent } = await (window as any).load('/dist/loupe-agent.mjs');
      const agent = createAgent();
      const first = agent.install();
      const second = agent.install();
      await (window as any).raise(thrown);
      await (window as any).reject(rejected);
      await fetch('/api/install-twice');
      await agent.flush();
      return {
        same: first === agent && second === agent,
        id: agent.clientSessionHeader().headerValue as string,
        patches: agent.diagnostics().patches as string[],
      };
    },
    [thrown, rejected],
  );
  expect(result.same).toBe(true);
  expect(new Set(result.patches).size).toBe(result.patches.length);
  // Errors are logged within flush: nothing more is on its way.
  expect(errorsWith(thrown)).toEqual([expect.objectContaining({ agentSessionId: result.id })]);
  expect(errorsWith(rejected)).toEqual([expect.objectContaining({ agentSessionId: result.id })]);
  const api = server.requests.find((request) => request.path === '/api/install-twice')!;
  expect(api.headers['loupe-agent-sessionid']).toBe(result.id);
  // Installing the same agent again is no mistake: nothing to say.
  expect(await settled()).toEqual([]);
  expectNothingAstray(astray, server, GETS);
});

it("install() again on the drop-in's agent returns it, and logs each uncaught error once", async () => {
  const { page, astray, settled } = await open('/page/drop-in');
  const thrown = uniqueText('drop-in thrown');
  const result = await page.evaluate(async (thrown) => {
    const loupe = (window as any).loupe;
    const same = loupe.install() === loupe && loupe.install() === loupe;
    await (window as any).raise(thrown);
    await loupe.flush();
    return { same, id: loupe.clientSessionHeader().headerValue as string };
  }, thrown);
  expect(result.same).toBe(true);
  expect(errorsWith(thrown)).toEqual([expect.objectContaining({ agentSessionId: result.id })]);
  expect(await settled()).toEqual([]);
  expectNothingAstray(astray, server, GETS);
});

it("a bundle's install() on a page with the drop-in gets the drop-in's agent, warned when its options differ", async () => {
  const { page, astray, settled } = await open('/page/drop-in');
  const thrown = uniqueText('drop-in and bundle');
  const result = await page.evaluate(async (thrown) => {
    const loupe = (window as any).loupe;
    const { install, createAgent } = await (window as any).load('/dist/loupe-agent.mjs');
    // The drop-in's options, none: the same agent, said nothing.
    const plain = install();
    // Other options: the same agent, and a warning. Kept, so that it can be flushed below.
    const other = createAgent({ flushInterval: 200, release: '2.0' });
    const returned = other.install();
    await (window as any).raise(thrown);
    // Were `other` installed after all, its copy of the error would go out here.
    await Promise.all([loupe.flush(), other.flush()]);
    return {
      plain: plain === loupe,
      returned: returned === loupe,
      otherInstalled: other.diagnostics().installed as boolean,
      id: loupe.clientSessionHeader().headerValue as string,
      otherId: other.clientSessionHeader().headerValue as string,
    };
  }, thrown);
  expect(result).toMatchObject({ plain: true, returned: true, otherInstalled: false });
  expect(result.otherId).not.toBe(result.id);
  expect(errorsWith(thrown)).toEqual([expect.objectContaining({ agentSessionId: result.id })]);
  expect(server.logMessages().filter((m) => m.agentSessionId === result.otherId)).toEqual([]);
  const lines = await settled();
  expect(lines).toEqual([{ type: 'warning', text: expect.any(String) }]);
  expect(lines[0]!.text).toMatch(/^\[loupe-agent\] An agent is installed on this page already/);
  expectNothingAstray(astray, server, GETS);
});

it("the drop-in loaded after a bundle installed takes the bundle's agent as window.loupe", async () => {
  const { page, astray, settled } = await open('/page/bundle');
  const thrown = uniqueText('bundle then drop-in');
  const result = await page.evaluate(async (thrown) => {
    const { install } = await (window as any).load('/dist/loupe-agent.mjs');
    const agent = install({ release: '1.0' });
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/dist/loupe-agent.min.js';
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
    await (window as any).raise(thrown);
    await agent.flush();
    return {
      same: (window as any).loupe === agent,
      id: agent.clientSessionHeader().headerValue as string,
    };
  }, thrown);
  expect(result.same).toBe(true);
  expect(errorsWith(thrown)).toEqual([expect.objectContaining({ agentSessionId: result.id })]);
  // The drop-in asked with its own options (none), not the bundle's release.
  const lines = await settled();
  expect(lines).toEqual([{ type: 'warning', text: expect.any(String) }]);
  expect(lines[0]!.text).toMatch(/^\[loupe-agent\] An agent is installed on this page already/);
  expectNothingAstray(astray, server, GETS);
});

it('two bundles that each install get one agent between them, and each error is logged once', async () => {
  const { page, astray, settled } = await open('/page/bundle');
  const thrown = uniqueText('two bundles thrown');
  const rejected = uniqueText('two bundles rejected');
  const result = await page.evaluate(
    async ([thrown, rejected]) => {
      const load = (window as any).load;
      const one = await load('/dist/loupe-agent.mjs?bundle=one');
      const two = await load('/dist/loupe-agent.mjs?bundle=two');
      const first = one.createAgent();
      const fromOne = first.install();
      // The other bundle, and a second agent of the first bundle, each install theirs.
      const second = two.createAgent();
      const fromTwo = second.install();
      const third = one.createAgent();
      const fromThird = third.install();
      await (window as any).raise(thrown);
      await (window as any).reject(rejected);
      await fetch('/api/two-bundles');
      await Promise.all([first.flush(), second.flush(), third.flush()]);
      return {
        copies: one.createAgent !== two.createAgent,
        returned: [fromOne, fromTwo, fromThird].map((agent) => agent === first),
        installed: [first, second, third].map((agent) => agent.diagnostics().installed),
        id: first.clientSessionHeader().headerValue as string,
      };
    },
    [thrown, rejected],
  );
  expect(result.copies).toBe(true);
  expect(result.returned).toEqual([true, true, true]);
  expect(result.installed).toEqual([true, false, false]);
  expect(errorsWith(thrown)).toEqual([expect.objectContaining({ agentSessionId: result.id })]);
  expect(errorsWith(rejected)).toEqual([expect.objectContaining({ agentSessionId: result.id })]);
  const api = server.requests.find((request) => request.path === '/api/two-bundles')!;
  expect(api.headers['loupe-agent-sessionid']).toBe(result.id);
  // The same options everywhere: nothing to warn of.
  expect(await settled()).toEqual([]);
  expectNothingAstray(astray, server, GETS);
});

it('two agents created before any install() have their own session ids and sequence numbers', async () => {
  const { page, astray, settled } = await open('/page/bundle');
  // 150 messages each: past a block of reserved sequence numbers.
  const writeBoth = (from: number) =>
    page.evaluate(async (from) => {
      const { createAgent } = await (window as any).load('/dist/loupe-agent.mjs');
      const first = createAgent();
      const second = createAgent();
      for (let index = from; index < from + 150; index++) {
        first.information('Two agents', 'first-' + index, '');
        second.information('Two agents', 'second-' + index, '');
      }
      await Promise.all([first.flush(), second.flush()]);
      return [first, second].map((agent) => agent.clientSessionHeader().headerValue as string);
    }, from);
  // Both flush at once: the second agent's request may not fit what the first left of the page's
  // keepalive quota, fail, and go again as a plain fetch a moment later. Agents that were never
  // installed keep nothing for the next page, so the tab stays until everything arrived.
  const arrived = (count: number) =>
    server.waitFor(
      () =>
        server.logMessages().filter((message) => message.category === 'Two agents').length >= count,
    );
  const [first, second] = await writeBoth(1);
  await arrived(300);
  // A reload of the tab: its first agent takes the tab's agent session again, so its numbers
  // must go on from where the first page left them.
  await page.reload();
  const [firstAgain, secondAgain] = await writeBoth(151);
  await arrived(600);
  expect(new Set([first, second, secondAgain]).size).toBe(3);
  expect(firstAgain).toBe(first);
  const written = { [first!]: 'first-', [second!]: 'second-', [secondAgain!]: 'second-' };
  for (const [id, prefix] of Object.entries(written)) {
    const messages = server.logMessages().filter((message) => message.agentSessionId === id);
    const count = id === first ? 300 : 150;
    const start = id === secondAgain ? 151 : 1;
    // Each message once, from the agent that wrote it, in the order written, numbers unique.
    expect(messages.map((message) => message.caption)).toEqual(
      Array.from({ length: count }, (_, index) => prefix + (start + index)),
    );
    const sequences = messages.map((message) => message.sequence as number);
    for (let index = 1; index < sequences.length; index++)
      expect(sequences[index]).toBeGreaterThan(sequences[index - 1]!);
  }
  expect(await settled()).toEqual([]);
  expectNothingAstray(astray, server, GETS);
});
