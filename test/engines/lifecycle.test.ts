import { expect, it } from 'vitest';
import type { EnginePage } from '../helpers/engines';
import { AGENT, SCRIPT, describeEngines } from './harness';

const agentId = (page: EnginePage) =>
  page.evaluate(() => (window as any).loupe.clientSessionHeader().headerValue as string);
const logAndFlush = (page: EnginePage, caption: string) =>
  page.evaluate((text) => {
    (window as any).loupe.information('Lifecycle', text, '');
    return (window as any).loupe.flush();
  }, caption);

describeEngines((suite) => {
  it('delivers log calls in a body that binds strictly', async () => {
    const page = await suite.open(AGENT);
    const pageUrl = await page.evaluate(() => location.href);
    await page.evaluate(() => {
      const loupe = (window as any).loupe;
      loupe.information('Calls', 'information', 'plain');
      loupe.warning('Calls', 'warning', 'order {0} of {1}', [7, 'cart'], null, { step: 2 });
      loupe.error('Calls', 'error', 'with an exception', null, new RangeError('out of range'));
      loupe.write('verbose', 'Calls', 'write', '', null, null, { reason: 'x' });
      loupe.critical('Calls', 'critical', 'with a source', null, null, null, {
        file: 'app.js',
        method: 'save',
        line: 3,
        column: 9,
      });
      loupe.recordException(new TypeError('recorded'), { id: 1 }, 'Recorded');
      return loupe.flush();
    });
    await suite.message('TypeError');
    const calls = suite.site.logMessages().filter((message) => message.category === 'Calls');
    expect(calls.map((message) => [message.caption, message.severity])).toEqual([
      ['information', 8],
      ['warning', 4],
      ['error', 2],
      ['write', 16],
      ['critical', 1],
    ]);
    expect(calls[1]).toMatchObject({ parameters: [7, 'cart'] });
    // The app's details, beside the page the message was written on.
    expect(JSON.parse(calls[1].details)).toEqual({ loupe: { page: pageUrl }, step: 2 });
    expect(calls[2].exception).toMatchObject({ message: 'out of range' });
    expect(suite.messages('TypeError')[0]).toMatchObject({ category: 'Recorded' });
    // The harness checks every body against the server's strict binding after each test.
  });

  it('keeps the agent session id and the sequence across a reload', async () => {
    const page = await suite.open(AGENT);
    const before = await agentId(page);
    await logAndFlush(page, 'before reload');
    await page.reload();
    expect(await agentId(page)).toBe(before);
    await logAndFlush(page, 'after reload');
    const [first, second] = [
      await suite.message('before reload'),
      await suite.message('after reload'),
    ];
    expect(second.agentSessionId).toBe(before);
    expect(second.sequence).toBeGreaterThan(first.sequence);
  });

  it('keeps the id across a back/forward-cache restore, and goes on working', async () => {
    suite.site.page(
      '/restore.js',
      `addEventListener('pageshow', function (event) {
         fetch('/api/pageshow?persisted=' + event.persisted);
         loupe.information('Lifecycle', 'pageshow', String(event.persisted));
         loupe.flush();
       });`,
      SCRIPT,
    );
    const away = suite.site.page('/away', '<!doctype html><title>another page</title>');
    const page = await suite.open(AGENT + '<script src="/restore.js"></script>');
    const before = await agentId(page);
    await page.goto(away);
    await page.back();
    await suite.site.waitFor(() => suite.messages('pageshow').length == 2);
    const [shown, back] = suite.messages('pageshow');
    expect(back.agentSessionId).toBe(before);
    expect(back.sequence).toBeGreaterThan(shown.sequence);
    const requests = suite.site.requests.filter((r) => r.path.startsWith('/api/pageshow'));
    expect(requests.map((r) => r.headers['loupe-agent-sessionid'])).toEqual([before, before]);
    // Whether the page came back from the cache. Firefox keeps no page that holds a Web Lock at
    // the moment it is left, and the agent gives its lock back only at pagehide, which comes
    // later: in Firefox the page is loaded again instead.
    expect([shown.description, back.description]).toEqual([
      'false',
      String(suite.engine.name != 'firefox'),
    ]);
  });

  it('delivers what was logged right before navigating to another site', async () => {
    const elsewhere = suite.third.origin + '/elsewhere';
    const page = await suite.open(AGENT);
    await page.evaluate((url) => {
      setTimeout(() => {
        const loupe = (window as any).loupe;
        for (let index = 1; index <= 3; index++)
          loupe.information('Exit', 'before leaving ' + index, '');
        location.href = url;
      });
    }, elsewhere);
    for (const index of [1, 2, 3]) await suite.message('before leaving ' + index);
    expect(suite.third.requests.some((request) => request.path === '/elsewhere')).toBe(true);
  });

  it("works under a strict Content-Security-Policy (script-src 'self', Trusted Types)", async () => {
    // Any violation, the agent's included, is reported to the site.
    suite.site.page(
      '/csp-watch.js',
      `document.addEventListener('securitypolicyviolation', function (event) {
         navigator.sendBeacon('/violation?' + encodeURIComponent(event.violatedDirective));
       });`,
      SCRIPT,
    );
    suite.site.page(
      '/csp-app.js',
      `loupe.information('CSP', 'strict page', '');
       fetch('/api/csp').then(function () { return loupe.flush(); });
       setTimeout(function () { throw new Error('csp error'); });`,
      SCRIPT,
    );
    await suite.open(
      '<script src="/csp-watch.js"></script>' + AGENT + '<script src="/csp-app.js"></script>',
      {
        'Content-Security-Policy':
          "default-src 'self'; script-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'",
      },
    );
    await suite.message('strict page');
    await suite.site.waitFor(() =>
      suite.site.logMessages().some((message) => message.exception?.message === 'csp error'),
    );
    const api = suite.site.requests.find((request) => request.path === '/api/csp')!;
    expect(api.headers['loupe-agent-sessionid']).toBeTruthy();
    expect(suite.site.requests.filter((request) => request.path.startsWith('/violation'))).toEqual(
      [],
    );
  });
});
