import { expect, it } from 'vitest';
import { AGENT, SCRIPT, describeEngines } from './harness';

// A page script whose line numbers the tests name (line 1 first).
const ERRORS_JS = [
  'function throwInTimer() {',
  '  setTimeout(function timerCallback() {',
  "    throw new TypeError('uncaught in a timer');",
  '  });',
  '}',
  'function rejectPromise() {',
  "  Promise.reject(new RangeError('not handled'));",
  '}',
  'function runEval() { eval(\'var a = 1;\\nthrow new Error("thrown in eval")\'); }',
  'function runFunction() { new Function(\'var b = 2;\\nthrow new Error("thrown in new Function")\')(); }',
].join('\n');

describeEngines((suite) => {
  const file = () => suite.site.origin + '/errors.js';
  const openPage = () => {
    suite.site.page('/errors.js', ERRORS_JS, SCRIPT);
    return suite.open(AGENT + '<script src="/errors.js"></script>');
  };
  const byMessage = async (text: string) => {
    await suite.site.waitFor(() =>
      suite.site.logMessages().some((message) => message.exception?.message === text),
    );
    return suite.site.logMessages().find((message) => message.exception?.message === text);
  };

  it('logs uncaught errors and rejections with their file, line and method', async () => {
    const page = await openPage();
    const pageUrl = await page.evaluate(() => location.href);
    await page.evaluate(() => {
      (window as any).throwInTimer();
      (window as any).rejectPromise();
    });
    const error = await byMessage('uncaught in a timer');
    expect(error).toMatchObject({ category: 'JavaScript', severity: 2, caption: 'TypeError' });
    // exception.url is the page the error happened on, as the older agents sent it.
    expect(error.exception).toMatchObject({ url: pageUrl, line: 3 });
    expect(error.methodSourceInfo).toMatchObject({
      file: file(),
      line: 3,
      method: 'timerCallback',
    });
    const rejection = await byMessage('not handled');
    expect(rejection).toMatchObject({ caption: 'RangeError' });
    expect(rejection.exception).toMatchObject({ url: pageUrl, line: 7 });
    expect(rejection.methodSourceInfo).toMatchObject({
      file: file(),
      line: 7,
      method: 'rejectPromise',
    });
  });

  it('places errors thrown by eval and new Function code at the call that ran the code', async () => {
    const page = await openPage();
    const pageUrl = await page.evaluate(() => location.href);
    await page.evaluate(() => {
      setTimeout((window as any).runEval);
      setTimeout((window as any).runFunction);
    });
    for (const [text, line, inside] of [
      ['thrown in eval', 9, 2],
      ['thrown in new Function', 10, 4],
    ] as const) {
      const message = await byMessage(text);
      expect(message.methodSourceInfo, text).toMatchObject({ file: file(), line });
      // The line is the call that ran the code, or as Firefox places code run by eval, a line
      // inside that code; the exception's url is the page.
      expect(message.exception.url).toBe(pageUrl);
      expect([line, inside]).toContain(message.exception.line);
    }
  });

  it('records the page a single-page app shows, after pushState and without the fragment', async () => {
    const page = await suite.open(AGENT);
    await page.evaluate(() => {
      const loupe = (window as any).loupe;
      loupe.information('Route', 'before');
      history.pushState(null, '', '/cart/3?secret=x#items');
      loupe.information('Route', 'after');
    });
    const pageOf = async (caption: string) =>
      JSON.parse((await suite.message(caption)).details).loupe.page;
    expect(await pageOf('before')).toMatch(new RegExp('^' + suite.site.origin + '/page-\\d+$'));
    expect(await pageOf('after')).toBe(suite.site.origin + '/cart/3?secret=[redacted]');
  });
});
