import { describe, expect, it } from 'vitest';
import { parseStackFrame, stackLines, topStackFrame } from '../../src/message/stackFrame';

const frame = (method: string, file: string, line: number, column: number | null) => ({
  method,
  file,
  line,
  column,
});

describe('parseStackFrame', () => {
  it.each([
    // Chrome / Edge (V8)
    [
      '    at saveOrder (https://shop.example/app.js:120:15)',
      frame('saveOrder', 'https://shop.example/app.js', 120, 15),
    ],
    [
      '    at https://shop.example/app.js:7:3',
      frame('<anonymous>', 'https://shop.example/app.js', 7, 3),
    ],
    [
      '    at new Cart (https://shop.example/cart.js:14:11)',
      frame('new Cart', 'https://shop.example/cart.js', 14, 11),
    ],
    [
      '    at async loadCart (https://shop.example/cart.js:30:5)',
      frame('loadCart', 'https://shop.example/cart.js', 30, 5),
    ],
    [
      '    at async https://shop.example/cart.js:31:1',
      frame('<anonymous>', 'https://shop.example/cart.js', 31, 1),
    ],
    [
      '    at Object.<anonymous> (https://shop.example/app.js:2:9)',
      frame('Object.<anonymous>', 'https://shop.example/app.js', 2, 9),
    ],
    [
      '    at HTMLButtonElement.onclick (https://shop.example/:12:40)',
      frame('HTMLButtonElement.onclick', 'https://shop.example/', 12, 40),
    ],
    [
      '    at Cart.total [as sum] (http://127.0.0.1:8080/cart.js:55:20)',
      frame('Cart.total [as sum]', 'http://127.0.0.1:8080/cart.js', 55, 20),
    ],
    ['    at <anonymous>:1:7', frame('<anonymous>', '<anonymous>', 1, 7)],
    [
      '    at run (file:///C:/shop/app%20one.js:3:1)',
      frame('run', 'file:///C:/shop/app%20one.js', 3, 1),
    ],
    [
      '    at compute (/home/dev/my shop/app.js:9:2)',
      frame('compute', '/home/dev/my shop/app.js', 9, 2),
    ],
    // Chrome eval and new Function: the place of the call that ran the code
    [
      '    at eval (eval at run (https://shop.example/app.js:40:9), <anonymous>:1:7)',
      frame('eval', 'https://shop.example/app.js', 40, 9),
    ],
    [
      '    at Object.eval [as check] (eval at build (https://shop.example/rules.js:3:18), <anonymous>:3:12)',
      frame('Object.eval [as check]', 'https://shop.example/rules.js', 3, 18),
    ],
    [
      '    at eval (eval at outer (eval at run (https://shop.example/app.js:40:9), <anonymous>:2:1), <anonymous>:1:1)',
      frame('eval', 'https://shop.example/app.js', 40, 9),
    ],
    // Firefox
    [
      'saveOrder@https://shop.example/app.js:120:15',
      frame('saveOrder', 'https://shop.example/app.js', 120, 15),
    ],
    ['@https://shop.example/app.js:7:3', frame('<anonymous>', 'https://shop.example/app.js', 7, 3)],
    [
      'loadCart/<@https://shop.example/cart.js:30:5',
      frame('loadCart/<', 'https://shop.example/cart.js', 30, 5),
    ],
    [
      'async*loadCart@https://shop.example/cart.js:31:1',
      frame('loadCart', 'https://shop.example/cart.js', 31, 1),
    ],
    [
      'Cart@https://shop.example/cart.js:14:11',
      frame('Cart', 'https://shop.example/cart.js', 14, 11),
    ],
    [
      'check@https://shop.example/rules.js line 3 > eval:1:7',
      frame('check', 'https://shop.example/rules.js', 3, null),
    ],
    [
      'anonymous@https://shop.example/rules.js line 8 > Function:2:3',
      frame('anonymous', 'https://shop.example/rules.js', 8, null),
    ],
    [
      '@https://shop.example/app.js line 40 > eval line 2 > eval:1:1',
      frame('<anonymous>', 'https://shop.example/app.js', 40, null),
    ],
    [
      'total@http://127.0.0.1:8080/cart.js:55:20',
      frame('total', 'http://127.0.0.1:8080/cart.js', 55, 20),
    ],
    [
      'login@https://user@shop.example/app.js:4:2',
      frame('login', 'https://user@shop.example/app.js', 4, 2),
    ],
    // Safari
    [
      'global code@https://shop.example/app.js:7:3',
      frame('global code', 'https://shop.example/app.js', 7, 3),
    ],
    [
      'module code@https://shop.example/main.mjs:1:8',
      frame('module code', 'https://shop.example/main.mjs', 1, 8),
    ],
    [
      'saveOrder@https://shop.example/app.js:120:15',
      frame('saveOrder', 'https://shop.example/app.js', 120, 15),
    ],
    ['https://shop.example/app.js:7:3', frame('<anonymous>', 'https://shop.example/app.js', 7, 3)],
    // Frames without a column (older Firefox and Safari)
    [
      'saveOrder@https://shop.example/app.js:120',
      frame('saveOrder', 'https://shop.example/app.js', 120, null),
    ],
    [
      'total@http://127.0.0.1:8080/cart.js:55',
      frame('total', 'http://127.0.0.1:8080/cart.js', 55, null),
    ],
  ])('parses %s', (line, expected) => {
    expect(parseStackFrame(line)).toEqual(expected);
  });

  it.each([
    '    at Array.map (<anonymous>)',
    '    at async Promise.all (index 0)',
    '    at JSON.parse (<anonymous>)',
    '    at foo (native)',
    'forEach@[native code]',
    '[native code]',
    'eval code@',
    'TypeError: cart is undefined',
    '',
  ])('has no place in %j', (line) => {
    expect(parseStackFrame(line)).toBeUndefined();
  });
});

describe('stackLines', () => {
  it('keeps only the frames of a Chrome stack, whatever the message says', () => {
    const stack = [
      'TypeError: Cannot read properties of undefined (reading "total")',
      'while saving: at checkout',
      '    at Cart.sum (https://shop.example/cart.js:55:20)',
      '    at Array.map (<anonymous>)',
      '    at async https://shop.example/app.js:9:1',
    ].join('\n');
    expect(stackLines(stack)).toEqual([
      'at Cart.sum (https://shop.example/cart.js:55:20)',
      'at Array.map (<anonymous>)',
      'at async https://shop.example/app.js:9:1',
    ]);
  });

  it('drops the header of a Chrome stack that has no frames (a syntax error)', () => {
    expect(stackLines("SyntaxError: Unexpected token '}'")).toEqual([]);
  });

  it('keeps the frames of Firefox and Safari stacks', () => {
    expect(
      stackLines('sum@https://shop.example/cart.js:55:20\n@https://shop.example/app.js:9:1\n'),
    ).toEqual(['sum@https://shop.example/cart.js:55:20', '@https://shop.example/app.js:9:1']);
    expect(
      stackLines(
        'sum@https://shop.example/cart.js:55:20\nmap@[native code]\nglobal code@https://shop.example/app.js:9:1',
      ),
    ).toEqual([
      'sum@https://shop.example/cart.js:55:20',
      'map@[native code]',
      'global code@https://shop.example/app.js:9:1',
    ]);
  });

  it.each([undefined, null, 42, {}])('is empty for a stack of %j', (stack) => {
    expect(stackLines(stack)).toEqual([]);
  });
});

describe('topStackFrame', () => {
  it('skips frames without a place', () => {
    expect(
      topStackFrame(['at JSON.parse (<anonymous>)', 'at load (https://shop.example/app.js:3:20)']),
    ).toEqual(frame('load', 'https://shop.example/app.js', 3, 20));
    expect(
      topStackFrame([
        'eval code@',
        'eval@[native code]',
        'global code@https://shop.example/app.js:9:1',
      ]),
    ).toEqual(frame('global code', 'https://shop.example/app.js', 9, 1));
    expect(topStackFrame([])).toBeUndefined();
  });
});

// Stacks as Chromium 156, Firefox ESR 153 and WebKitGTK 2.50 wrote them for one page script
// (http://127.0.0.1:40059/app.js), read through stackLines and parseStackFrame.
describe('stacks captured from each engine', () => {
  const app = 'http://127.0.0.1:40059/app.js';
  const read = (stack: string) => stackLines(stack).map(parseStackFrame);

  it('reads Chromium stacks, with eval, new Function, async and class frames', () => {
    expect(
      read(
        `Error: from eval\n    at eval (eval at viaEval (${app}:5:3), <anonymous>:2:7)\n    at viaEval (${app}:5:3)\n    at capture (${app}:11:9)\n    at ${app}:15:23`,
      ),
    ).toEqual([
      frame('eval', app, 5, 3),
      frame('viaEval', app, 5, 3),
      frame('capture', app, 11, 9),
      frame('<anonymous>', app, 15, 23),
    ]);
    expect(
      read(
        `Error: from Function\n    at eval (eval at viaFunction (${app}:8:3), <anonymous>:4:7)\n    at viaFunction (${app}:8:68)`,
      ),
    ).toEqual([frame('eval', app, 8, 3), frame('viaFunction', app, 8, 68)]);
    expect(
      read(
        `Error: async\n    at asyncInner (${app}:21:49)\n    at async asyncOuter (${app}:20:43)`,
      ),
    ).toEqual([frame('asyncInner', app, 21, 49), frame('asyncOuter', app, 20, 43)]);
    expect(
      read(
        `Error: in forEach\n    at ${app}:17:77\n    at Array.forEach (<anonymous>)\n    at HTMLDocument.clicked (${app}:23:80)\n    at Foo.method (${app}:25:30)`,
      ),
    ).toEqual([
      frame('<anonymous>', app, 17, 77),
      undefined,
      frame('HTMLDocument.clicked', app, 23, 80),
      frame('Foo.method', app, 25, 30),
    ]);
  });

  it('reads Firefox stacks, with the way each async frame was scheduled left out of its name', () => {
    expect(
      read(
        `thrower@${app}:2:9\ncapture@${app}:11:9\nheard@${app}:32:72\nsettled@${app}:33:18\nsetTimeout handler*runAsync/<@${app}:30:15\nrunAsync@${app}:29:10\n@pptr:evaluate;file%3A%2F%2F%2Fapp%2Frun.mjs%3A7%3A39:1:15\n`,
      ),
    ).toEqual([
      frame('thrower', app, 2, 9),
      frame('capture', app, 11, 9),
      frame('heard', app, 32, 72),
      frame('settled', app, 33, 18),
      frame('runAsync/<', app, 30, 15),
      frame('runAsync', app, 29, 10),
      frame('<anonymous>', 'pptr:evaluate;file%3A%2F%2F%2Fapp%2Frun.mjs%3A7%3A39', 1, 15),
    ]);
    expect(
      read(
        `@pptr:evaluate;file%3A%2F%2F%2Fapp%2Frun.mjs%3A8%3A24:1:42\nsetTimeout handler*@pptr:evaluate;file%3A%2F%2F%2Fapp%2Frun.mjs%3A8%3A24:1:33\n`,
      ).map((parsed) => parsed?.method),
    ).toEqual(['<anonymous>', '<anonymous>']);
    expect(
      read(`asyncInner@${app}:21:49\nasync*asyncOuter@${app}:20:49\nasync*runAwait@${app}:38:53\n`),
    ).toEqual([
      frame('asyncInner', app, 21, 49),
      frame('asyncOuter', app, 20, 49),
      frame('runAwait', app, 38, 53),
    ]);
    expect(
      read(
        `@${app} line 5 > eval:2:7\nviaEval@${app}:5:3\nanonymous@${app} line 8 > Function:4:7\nwindow.results.anon</<@${app}:17:77\n`,
      ),
    ).toEqual([
      frame('<anonymous>', app, 5, null),
      frame('viaEval', app, 5, 3),
      frame('anonymous', app, 8, null),
      frame('window.results.anon</<', app, 17, 77),
    ]);
  });

  it.each([
    ['promise callback*settled', 'settled'],
    ['EventListener.handleEvent*', '<anonymous>'],
    ['requestAnimationFrame handler*draw', 'draw'],
    ['setInterval handler*', '<anonymous>'],
  ])('reads the Firefox frame %s@… as %s', (prefix, method) => {
    expect(parseStackFrame(`${prefix}@${app}:3:4`)).toEqual(frame(method, app, 3, 4));
  });

  it('reads WebKit stacks, and leaves out the frames it writes as a bare "@"', () => {
    expect(
      read(
        `eval code@\neval@[native code]\nviaEval@${app}:5:7\ncapture@${app}:11:10\nglobal code@${app}:15:30`,
      ),
    ).toEqual([
      undefined,
      undefined,
      frame('viaEval', app, 5, 7),
      frame('capture', app, 11, 10),
      frame('global code', app, 15, 30),
    ]);
    expect(
      read(
        `@${app}:17:86\nforEach@[native code]\n@${app}:17:56\nclicked@${app}:23:87\nclick@[native code]`,
      ),
    ).toEqual([
      frame('<anonymous>', app, 17, 86),
      undefined,
      frame('<anonymous>', app, 17, 56),
      frame('clicked', app, 23, 87),
      undefined,
    ]);
    expect(
      stackLines(
        'eval code@\neval@[native code]\n@\n@\n@\n@\nPromise@[native code]\n_execute@\nevaluateJavaScriptFunction@',
      ),
    ).toEqual([
      'eval code@',
      'eval@[native code]',
      'Promise@[native code]',
      '_execute@',
      'evaluateJavaScriptFunction@',
    ]);
    expect(topStackFrame(stackLines(`anonymous@\nviaFunction@${app}:8:68`))).toEqual(
      frame('viaFunction', app, 8, 68),
    );
  });
});
