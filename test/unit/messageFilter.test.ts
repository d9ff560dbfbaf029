import { describe, expect, it } from 'vitest';
import { createMessageFilter } from '../../src/assembly/createMessageFilter';
import type { AgentOptions, LogMessage } from '../../src/types';

function message(overrides: Partial<LogMessage> = {}): LogMessage {
  return {
    severity: 8,
    category: 'App',
    caption: 'Saved',
    description: '',
    timeStamp: '2026-12-05T10:00:00.000+00:00',
    sequence: 1,
    agentSessionId: 'agent-1',
    ...overrides,
  };
}

/** An error message as error capture builds it: exception, stack lines and source file. */
function error(
  text: string,
  stack: string[],
  file = stack.length ? undefined : 'https://app/x.js',
) {
  return message({
    severity: 2,
    category: 'JavaScript',
    caption: 'Error',
    description: text,
    exception: { message: text, url: '', stackTrace: stack, cause: '', line: 1, column: 1 },
    ...(file && { methodSourceInfo: { file, line: 1, column: 1 } }),
  });
}

const APP_STACK = [
  'at save (https://shop.example/app.js:10:5)',
  'at https://shop.example/app.js:2:1',
];
const EXTENSION_STACK = [
  'at inject (chrome-extension://abcdefgh/content.js:1:10)',
  'injected@moz-extension://1234/content.js:3:7',
  'safari-web-extension://XYZ/script.js:5:1',
];
const filterWith = (options: AgentOptions = {}) => createMessageFilter(options);

describe('the message filter', () => {
  it('lets everything through by default but extension-only errors and ResizeObserver notices', () => {
    const filter = filterWith();
    expect(filter(message())).toBeUndefined();
    expect(filter(error('boom', APP_STACK))).toBeUndefined();
    expect(filter(error('boom', EXTENSION_STACK))).toBe('noise');
    expect(filter(error('ResizeObserver loop completed with undelivered notifications.', []))).toBe(
      'noise',
    );
    expect(filter(error('ResizeObserver loop limit exceeded', []))).toBe('noise');
  });

  it('keeps an error whose stack passes through the app as well as an extension', () => {
    expect(filterWith()(error('boom', [EXTENSION_STACK[0]!, APP_STACK[0]!]))).toBeUndefined();
  });

  it('judges an error without a stack by its source file', () => {
    const filter = filterWith();
    expect(filter(error('boom', [], 'chrome-extension://abc/x.js'))).toBe('noise');
    expect(filter(error('boom', [], 'https://shop.example/app.js'))).toBeUndefined();
  });

  it('keeps noise when noiseFilters is false', () => {
    const filter = filterWith({ noiseFilters: false });
    expect(filter(error('boom', EXTENSION_STACK))).toBeUndefined();
    expect(filter(error('ResizeObserver loop limit exceeded', []))).toBeUndefined();
  });

  it('drops errors whose message contains an ignoreErrors string or matches its RegExp', () => {
    const filter = filterWith({ ignoreErrors: ['aborted by user', /^Network ?Error$/i] });
    expect(filter(error('Request aborted by user', APP_STACK))).toBe('ignoreErrors');
    expect(filter(error('NetworkError', APP_STACK))).toBe('ignoreErrors');
    expect(filter(error('A NetworkError occurred', APP_STACK))).toBeUndefined();
    // An error-severity log call without an exception is judged by its caption.
    expect(filter(message({ severity: 2, caption: 'Upload aborted by user' }))).toBe(
      'ignoreErrors',
    );
    expect(filter(message({ severity: 1, caption: 'NetworkError' }))).toBe('ignoreErrors');
    // Other messages are not errors.
    expect(filter(message({ severity: 4, caption: 'aborted by user' }))).toBeUndefined();
  });

  it('drops errors thrown in scripts that denyUrls names', () => {
    const filter = filterWith({ denyUrls: ['/vendor/', /^https:\/\/ads\./] });
    expect(filter(error('x', ['at f (https://shop.example/vendor/lib.js:1:1)']))).toBe('denyUrls');
    expect(filter(error('x', ['f@https://ads.example/tag.js:1:1']))).toBe('denyUrls');
    expect(filter(error('x', APP_STACK))).toBeUndefined();
  });

  it('keeps only errors thrown in scripts that allowUrls names, and errors of unknown place', () => {
    const filter = filterWith({ allowUrls: ['https://shop.example/'] });
    expect(filter(error('x', APP_STACK))).toBeUndefined();
    expect(filter(error('x', ['at f (https://cdn.other/lib.js:1:1)']))).toBe('allowUrls');
    const unplaced = error('x', []);
    delete unplaced.methodSourceInfo;
    expect(filter(unplaced)).toBeUndefined();
  });

  it('reads the place from the source before the stack, and the top frame first', () => {
    const filter = filterWith({ denyUrls: ['lib.js'] });
    expect(filter(error('x', ['at f (https://shop.example/lib.js:1:1)', APP_STACK[0]!]))).toBe(
      'denyUrls',
    );
    expect(filter(error('x', [APP_STACK[0]!, 'at f (https://shop.example/lib.js:1:1)']))).toBe(
      undefined,
    );
    const withSource = error('x', APP_STACK);
    withSource.methodSourceInfo = { file: 'https://shop.example/lib.js' };
    expect(filter(withSource)).toBe('denyUrls');
  });
});

describe('a single pattern instead of a list', () => {
  it('works as a list of one for ignoreErrors, denyUrls and allowUrls', () => {
    const filter = (options: AgentOptions) => createMessageFilter(options);
    expect(filter({ ignoreErrors: /^Request aborted/ })(error('Request aborted', APP_STACK))).toBe(
      'ignoreErrors',
    );
    expect(filter({ ignoreErrors: 'aborted' })(error('Saved', APP_STACK))).toBeUndefined();
    expect(filter({ denyUrls: /shop\.example/ })(error('x', APP_STACK))).toBe('denyUrls');
    expect(filter({ allowUrls: 'https://cdn.other/' })(error('x', APP_STACK))).toBe('allowUrls');
    expect(filter({ allowUrls: 'https://shop.example/' })(error('x', APP_STACK))).toBeUndefined();
  });
});
