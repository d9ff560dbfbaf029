import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Agent, type AgentOptions, createAgent } from '../../src';
import { contractProblems } from '../helpers/contract';
import { startNetwork } from '../helpers/network';

let network: ReturnType<typeof startNetwork>;
const agents: Agent[] = [];
beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  network = startNetwork();
});
afterEach(() => {
  agents.splice(0).forEach((agent) => agent.uninstall());
  vi.useRealTimers();
  network.dispose();
});

function installAgent(options: AgentOptions = {}): Agent {
  const agent = createAgent(options).install();
  agents.push(agent);
  return agent;
}

/** What the browser dispatches for an uncaught error. Returns the event to inspect. */
function throwUncaught(error: unknown, init: ErrorEventInit = {}): ErrorEvent {
  const event = new ErrorEvent('error', {
    error,
    message:
      'Uncaught ' + (error instanceof Error ? error.name + ': ' + error.message : String(error)),
    filename: 'https://shop.example/app.js',
    lineno: 9,
    colno: 1,
    cancelable: true,
    ...init,
  });
  window.dispatchEvent(event);
  return event;
}

/** What the browser dispatches for a rejection nobody handled (happy-dom has no PromiseRejectionEvent). */
function rejectUnhandled(reason: unknown): Event {
  const event = Object.assign(new Event('unhandledrejection', { cancelable: true }), {
    reason,
    promise: null,
  });
  window.dispatchEvent(event);
  return event;
}

/** A TypeError as Chrome builds it, with a stack that does not depend on the test runner. */
function chromeTypeError(message = 'Cannot read properties of undefined (reading "total")') {
  const error = new TypeError(message);
  error.stack = [
    'TypeError: ' + message,
    '    at Cart.sum (https://shop.example/cart.js:55:20)',
    '    at https://shop.example/app.js:9:1',
  ].join('\n');
  return error;
}

async function sent(agent: Agent): Promise<any[]> {
  await agent.flush();
  for (const request of network.logRequests()) expect(contractProblems(request.body)).toEqual([]);
  return network.logMessages();
}

describe('uncaught errors', () => {
  it('are logged as JavaScript errors named after the error, with exception and source', async () => {
    const agent = installAgent();
    throwUncaught(chromeTypeError());
    const [message] = await sent(agent);
    expect(message).toMatchObject({
      severity: 2,
      category: 'JavaScript',
      caption: 'TypeError',
      description: 'Cannot read properties of undefined (reading "total")',
      exception: {
        message: 'Cannot read properties of undefined (reading "total")',
        // The page, as the older agents sent it: the script stays in the stack and the source.
        url: location.href,
        stackTrace: [
          'at Cart.sum (https://shop.example/cart.js:55:20)',
          'at https://shop.example/app.js:9:1',
        ],
        cause: '',
        line: 55,
        column: 20,
      },
      methodSourceInfo: {
        file: 'https://shop.example/cart.js',
        method: 'Cart.sum',
        line: 55,
        column: 20,
      },
    });
  });

  it.each([
    ['a string', 'boom', 'boom'],
    ['an object', { code: 7 }, '{"code":7}'],
    ['a number', 42, '42'],
  ])('describe a thrown %s, placed where the browser says', async (_, thrown, description) => {
    const agent = installAgent();
    throwUncaught(thrown);
    const [message] = await sent(agent);
    expect(message).toMatchObject({
      severity: 2,
      category: 'JavaScript',
      caption: 'Error',
      description,
      exception: { message: description, url: location.href, line: 9, column: 1 },
      methodSourceInfo: { file: 'https://shop.example/app.js', line: 9, column: 1 },
    });
  });

  it("describe a thrown null with the browser's message", async () => {
    const agent = installAgent();
    throwUncaught(null, { message: 'Uncaught null' });
    const [message] = await sent(agent);
    expect(message).toMatchObject({ caption: 'Error', description: 'Uncaught null' });
  });

  it('leave window.onerror and the listeners of the app alone', async () => {
    const appHandler = () => false;
    window.onerror = appHandler;
    const seen: string[] = [];
    const appListener = (event: ErrorEvent) => seen.push(event.message);
    window.addEventListener('error', appListener);
    const agent = installAgent();
    expect(window.onerror).toBe(appHandler);
    throwUncaught(new Error('seen by both'));
    agent.uninstall();
    expect(window.onerror).toBe(appHandler);
    throwUncaught(new Error('after uninstall'));
    window.removeEventListener('error', appListener);
    window.onerror = null;
    expect(seen).toEqual(['Uncaught Error: seen by both', 'Uncaught Error: after uninstall']);
    expect((await sent(agent)).map((message) => message.description)).toEqual(['seen by both']);
  });
});

describe('unhandled rejections', () => {
  const hostileToString = {
    toString() {
      throw new Error('no text');
    },
  };
  it.each([
    ['an Error', chromeTypeError('cart is undefined'), 'TypeError', 'cart is undefined'],
    [
      'a DOMException',
      new DOMException('The user aborted a request.', 'AbortError'),
      'AbortError',
      'The user aborted a request.',
    ],
    ['a string', 'no cart', 'Unhandled rejection', 'no cart'],
    ['a number', 404, 'Unhandled rejection', '404'],
    ['null', null, 'Unhandled rejection', 'null'],
    ['undefined', undefined, 'Unhandled rejection', 'undefined'],
    ['a plain object', { status: 503 }, 'Unhandled rejection', '{"status":503}'],
    [
      'an object whose toString throws',
      hostileToString,
      'Unhandled rejection',
      '{"toString":"[Function toString]"}',
    ],
  ])('with %s as reason are logged', async (_, reason, caption, description) => {
    const agent = installAgent();
    rejectUnhandled(reason);
    const [message] = await sent(agent);
    expect(message).toMatchObject({ severity: 2, category: 'JavaScript', caption, description });
    expect(message.exception.message).toBe(description);
  });
});

describe('propagateOnError', () => {
  it('lets the browser print errors by default', () => {
    installAgent();
    expect(throwUncaught(new Error('x')).defaultPrevented).toBe(false);
    expect(rejectUnhandled(new Error('y')).defaultPrevented).toBe(false);
  });

  it('when false, cancels the events so the browser does not print them; read at each error', async () => {
    const agent = installAgent({ propagateOnError: false });
    expect(throwUncaught(new Error('hidden')).defaultPrevented).toBe(true);
    expect(rejectUnhandled(new Error('hidden too')).defaultPrevented).toBe(true);
    agent.propagateOnError = true;
    expect(throwUncaught(new Error('printed')).defaultPrevented).toBe(false);
    agent.propagateOnError = false;
    expect(rejectUnhandled('hidden again').defaultPrevented).toBe(true);
    expect(await sent(agent)).toHaveLength(4);
  });
});

describe('cross-origin "Script error."', () => {
  it('is logged once, saying how to get the details', async () => {
    const agent = installAgent();
    for (let index = 0; index < 3; index++) {
      throwUncaught(null, { message: 'Script error.', filename: '', lineno: 0, colno: 0 });
    }
    const messages = await sent(agent);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      severity: 2,
      category: 'JavaScript',
      caption: 'Script error.',
    });
    expect(messages[0].description).toContain('crossorigin');
    expect(messages[0].description).toContain('Access-Control-Allow-Origin');
  });
});

describe('error storms', () => {
  it('log each kind of error 5 times a minute and 60 in all, then report the count', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldAdvanceTime: true });
    const agent = installAgent();
    for (let index = 0; index < 1000; index++) throwUncaught(chromeTypeError('same'));
    for (let index = 0; index < 100; index++) rejectUnhandled('distinct ' + index);
    let messages = await sent(agent);
    expect(messages.filter((message) => message.description === 'same')).toHaveLength(5);
    expect(messages).toHaveLength(60);

    vi.advanceTimersByTime(60_000);
    messages = await sent(agent);
    expect(messages).toHaveLength(61);
    const summary = messages[60];
    expect(summary).toMatchObject({ severity: 4, category: 'Loupe', caption: 'Errors not logged' });
    expect(summary.description).toContain(
      '\n995 × TypeError: same at https://shop.example/cart.js:55',
    );
    expect(summary.description).toContain('\n1 × Unhandled rejection: distinct 55');
    expect(summary.description).toContain('\n26 × others');

    // A new minute: the same error is logged again.
    throwUncaught(chromeTypeError('same'));
    expect(await sent(agent)).toHaveLength(62);
  });

  it('take their limits from errorLimits', async () => {
    const agent = installAgent({ errorLimits: { perSignature: 1, perMinute: 2 } });
    for (const text of ['a', 'a', 'b', 'c']) rejectUnhandled(text);
    expect((await sent(agent)).map((message) => message.description)).toEqual(['a', 'b']);
  });

  it('report what was counted on uninstall, and set no timer after it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldAdvanceTime: true });
    const agent = installAgent({ errorLimits: { perSignature: 1 } });
    rejectUnhandled('again');
    rejectUnhandled('again');
    rejectUnhandled('again');
    agent.uninstall();
    vi.advanceTimersByTime(120_000);
    const messages = await sent(agent);
    expect(messages.map((message) => message.caption)).toEqual([
      'Unhandled rejection',
      'Errors not logged',
    ]);
    expect(messages[1].description).toContain('\n2 × Unhandled rejection: again');
  });
});

describe("the agent's own failures", () => {
  it('never reach the app and are not logged, even when describing the error re-enters', async () => {
    const agent = installAgent();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no reading');
        },
        has() {
          throw new Error('no asking');
        },
        getPrototypeOf() {
          throw new Error('no prototype');
        },
      },
    );
    expect(() => rejectUnhandled(hostile)).not.toThrow();
    const reentrant = new Error('outer');
    Object.defineProperty(reentrant, 'stack', {
      get() {
        throwUncaught(new Error('inner, from a getter'));
        throw new Error('and a throw');
      },
    });
    expect(() => throwUncaught(reentrant)).not.toThrow();
    throwUncaught(new Error('still captured'));
    const descriptions = (await sent(agent)).map((message) => message.description);
    expect(descriptions).not.toContain('inner, from a getter');
    expect(descriptions).not.toContain('no reading');
    expect(descriptions).toContain('outer');
    expect(descriptions).toContain('still captured');
  });
});

describe('install and uninstall', () => {
  it('capture nothing after uninstall, and again after a new install', async () => {
    const agent = installAgent();
    expect(agent.diagnostics().patches).toEqual(
      expect.arrayContaining(['error', 'unhandledrejection']),
    );
    agent.uninstall();
    throwUncaught(new Error('not captured'));
    rejectUnhandled('not captured');
    expect(agent.diagnostics().patches).toEqual([]);
    agent.install();
    agent.install();
    throwUncaught(new Error('captured once'));
    expect((await sent(agent)).map((message) => message.description)).toEqual(['captured once']);
  });

  it('capture nothing when captureErrors is false', async () => {
    const agent = installAgent({ captureErrors: false });
    throwUncaught(new Error('not captured'));
    rejectUnhandled('not captured');
    agent.information('c', 'c', 'only this');
    expect((await sent(agent)).map((message) => message.description)).toEqual(['only this']);
  });
});

describe('recordException', () => {
  it('logs like an uncaught error, with the details and category given', async () => {
    const agent = createAgent();
    agent.recordException(chromeTypeError('bad total'), { orderId: 7 }, 'Checkout');
    agent.recordException('plain text');
    const [first, second] = await sent(agent);
    expect(first).toMatchObject({
      severity: 2,
      category: 'Checkout',
      caption: 'TypeError',
      description: 'bad total',
      details: JSON.stringify({ loupe: { page: location.href }, orderId: 7 }),
      exception: { url: location.href, line: 55, column: 20 },
      methodSourceInfo: { method: 'Cart.sum', line: 55 },
    });
    expect(second).toMatchObject({
      severity: 2,
      category: 'JavaScript',
      caption: 'Error',
      description: 'plain text',
    });
  });
});
