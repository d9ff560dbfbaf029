import { describe, expect, it } from 'vitest';
import { describeError } from '../../src/errors/describeError';
import { createException } from '../../src/message/exception';

const CHROME_STACK = [
  'TypeError: Cannot read properties of undefined (reading "total")',
  '    at Cart.sum (https://shop.example/cart.js:55:20)',
  '    at https://shop.example/app.js:9:1',
].join('\n');

/** An error as a given browser builds it, without depending on the engine running the test. */
function browserError(name: string, message: string, extra: Record<string, unknown>): Error {
  const error = new Error(message);
  Object.defineProperty(error, 'name', { value: name });
  return Object.assign(error, extra);
}

describe('createException', () => {
  it('reads message, frames and place from a Chrome error', () => {
    const error = browserError(
      'TypeError',
      'Cannot read properties of undefined (reading "total")',
      {
        stack: CHROME_STACK,
      },
    );
    expect(createException(error)).toEqual({
      message: 'Cannot read properties of undefined (reading "total")',
      url: 'https://shop.example/cart.js',
      stackTrace: [
        'at Cart.sum (https://shop.example/cart.js:55:20)',
        'at https://shop.example/app.js:9:1',
      ],
      cause: '',
      line: 55,
      column: 20,
    });
  });

  it("prefers Firefox's fileName, lineNumber and columnNumber", () => {
    const error = browserError('ReferenceError', 'total is not defined', {
      stack: 'sum@https://shop.example/cart.js:55:20\n@https://shop.example/app.js:9:1\n',
      fileName: 'https://shop.example/cart.js',
      lineNumber: 56,
      columnNumber: 3,
    });
    expect(createException(error)).toMatchObject({
      url: 'https://shop.example/cart.js',
      line: 56,
      column: 3,
      stackTrace: ['sum@https://shop.example/cart.js:55:20', '@https://shop.example/app.js:9:1'],
    });
  });

  it("reads Safari's sourceURL, line and column", () => {
    const error = browserError('SyntaxError', "Unexpected token '}'", {
      stack: '',
      sourceURL: 'https://shop.example/late.js',
      line: 3,
      column: 1,
    });
    expect(createException(error)).toMatchObject({
      message: "Unexpected token '}'",
      url: 'https://shop.example/late.js',
      line: 3,
      column: 1,
      stackTrace: [],
    });
  });

  it('takes the place of code run by eval in WebKit from the frame that ran it', () => {
    // WebKitGTK 2.50: no sourceURL, and line and column count inside the eval'd text.
    const app = 'http://127.0.0.1:40059/app.js';
    const error = browserError('Error', 'from eval', {
      stack: `eval code@\neval@[native code]\nviaEval@${app}:5:7\nglobal code@${app}:15:30`,
      line: 2,
      column: 16,
    });
    expect(createException(error)).toMatchObject({ url: app, line: 5, column: 7 });
    const [, , , , exception, , source] = describeError(error, 'Error');
    // The page fills exception.url in when the message is assembled; the file stays in the source.
    expect(exception).toMatchObject({ url: '', line: 5, column: 7 });
    expect(source).toEqual({ method: 'viaEval', file: app, line: 5, column: 7 });
  });

  it("keeps Firefox's place of code run by eval whole: the eval'd code and a line inside it", () => {
    const app = 'http://127.0.0.1:40059/app.js';
    const error = browserError('Error', 'from eval', {
      stack: `@${app} line 5 > eval:2:7\nviaEval@${app}:5:3\n`,
      fileName: app + ' line 5 > eval',
      lineNumber: 2,
      columnNumber: 7,
    });
    expect(createException(error)).toMatchObject({
      url: app + ' line 5 > eval',
      line: 2,
      column: 7,
    });
  });

  it('describes the cause', () => {
    const error = new Error('save failed', { cause: new RangeError('quota') });
    expect(createException(error).cause).toBe('RangeError: quota');
    expect(createException(new Error('x', { cause: { code: 7 } })).cause).toBe('{"code":7}');
  });

  it('passes an exception in the contract shape through unchanged', () => {
    const exception = {
      message: 'm',
      url: 'https://shop.example/a.js',
      stackTrace: ['at a (https://shop.example/a.js:1:2)'],
      cause: 'c',
      line: 1,
      column: 2,
    };
    expect(createException(exception)).toEqual(exception);
    const once = createException(new Error('twice'));
    expect(createException(once)).toEqual(once);
  });

  it('never throws on hostile values', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no reading');
        },
        has() {
          throw new Error('no asking');
        },
      },
    );
    expect(() => createException(hostile)).not.toThrow();
    const stackThrows = new Error('readable message');
    Object.defineProperty(stackThrows, 'stack', {
      get() {
        throw new Error('no stack');
      },
    });
    expect(createException(stackThrows)).toMatchObject({ stackTrace: [], line: null });
  });
});

describe('describeError', () => {
  it('uses the name as caption and the message as description', () => {
    const error = browserError('TypeError', 'cart is undefined', { stack: CHROME_STACK });
    const [category, caption, description, parameters, exception, details, source] = describeError(
      error,
      'Error',
    );
    expect([category, caption, description, parameters, details]).toEqual([
      'JavaScript',
      'TypeError',
      'cart is undefined',
      null,
      null,
    ]);
    expect(exception).toMatchObject({ message: 'cart is undefined', line: 55, column: 20 });
    expect(source).toEqual({
      method: 'Cart.sum',
      file: 'https://shop.example/cart.js',
      line: 55,
      column: 20,
    });
  });

  it('captions a DOMException by its name', () => {
    const [, caption, description] = describeError(
      new DOMException('The user aborted a request.', 'AbortError'),
      'Unhandled rejection',
    );
    expect([caption, description]).toEqual(['AbortError', 'The user aborted a request.']);
  });

  it.each([
    ['a string', 'boom', 'boom'],
    ['a number', 42, '42'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a plain object', { code: 7, reason: 'busy' }, '{"code":7,"reason":"busy"}'],
    [
      'an object whose toString throws',
      {
        toString() {
          throw new Error('no');
        },
      },
      '{"toString":"[Function toString]"}',
    ],
    ['an empty string', '', ''],
  ])('describes %s with the fallback caption', (_, value, text) => {
    const [, caption, description, , exception] = describeError(value, 'Unhandled rejection');
    expect(caption).toBe('Unhandled rejection');
    expect(description).toBe(text);
    expect(exception).toEqual({
      message: text,
      url: '',
      stackTrace: [],
      cause: '',
      line: null,
      column: null,
    });
  });

  it('takes the place from the event when the value has none', () => {
    const [, , , , exception, , source] = describeError('boom', 'Error', {
      filename: 'https://shop.example/app.js',
      lineno: 12,
      colno: 5,
    });
    // The URL is left for assembly, which gives it the page's.
    expect(exception).toMatchObject({ url: '', line: 12, column: 5 });
    expect(source).toMatchObject({ file: 'https://shop.example/app.js', line: 12, column: 5 });
  });

  it('falls back to the value as text when the name and message cannot be read', () => {
    const error = new Error('hidden');
    Object.defineProperty(error, 'name', {
      get() {
        throw new Error('no name');
      },
    });
    const [, caption] = describeError(error, 'Error');
    expect(caption).toBe('Error');
  });
});
