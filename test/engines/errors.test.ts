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
    await page.evaluate(() => {
      (window as any).throwInTimer();
      (window as any).rejectPromise();
    });
    const error = await byMessage('uncaught in a timer');
    expect(error).toMatchObject({ category: 'JavaScript', severity: 2, caption: 'TypeError' });
    expect(error.exception).toMatchObject({ url: file(), line: 3 });
    expect(error.methodSourceInfo).toMatchObject({
      file: file(),
      line: 3,
      method: 'timerCallback',
    });
    const rejection = await byMessage('not handled');
    expect(rejection).toMatchObject({ caption: 'RangeError' });
    expect(rejection.exception).toMatchObject({ url: file(), line: 7 });
    expect(rejection.methodSourceInfo).toMatchObject({
      file: file(),
      line: 7,
      method: 'rejectPromise',
    });
  });

  it('places errors thrown by eval and new Function code at the call that ran the code', async () => {
    const page = await openPage();
    await page.evaluate(() => {
      setTimeout((window as any).runEval);
      setTimeout((window as any).runFunction);
    });
    for (const [text, line, name, inside] of [
      ['thrown in eval', 9, 'eval', 2],
      ['thrown in new Function', 10, 'Function', 4],
    ] as const) {
      const message = await byMessage(text);
      expect(message.methodSourceInfo, text).toMatchObject({ file: file(), line });
      // The place is whole: the call that ran the code, or as Firefox names code run by eval,
      // that code and a line inside it.
      expect([
        [file(), line],
        [`${file()} line ${line} > ${name}`, inside],
      ]).toContainEqual([message.exception.url, message.exception.line]);
    }
  });
});
