import { type MockInstance, afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createAgent, install } from '../../src/index';

// Outside a browser (Node, server-side rendering) install() does nothing; with `debug` it says so,
// once per process however many pages a server renders. What every copy of the agent shares lives
// on globalThis under this symbol: each test starts and leaves without it.
const REGISTRY = Symbol.for('loupe-agent');
const NOTICE = '[loupe-agent] not installed: no browser window';

let printed: Record<'info' | 'log' | 'warn' | 'error', MockInstance>;

beforeEach(() => {
  delete (globalThis as any)[REGISTRY];
  printed = {
    info: vi.spyOn(console, 'info').mockImplementation(() => {}),
    log: vi.spyOn(console, 'log').mockImplementation(() => {}),
    warn: vi.spyOn(console, 'warn').mockImplementation(() => {}),
    error: vi.spyOn(console, 'error').mockImplementation(() => {}),
  };
});
afterEach(() => {
  vi.restoreAllMocks();
  delete (globalThis as any)[REGISTRY];
});

const expectPrinted = (info: unknown[][]) => {
  expect(printed.info.mock.calls).toEqual(info);
  for (const method of ['log', 'warn', 'error'] as const)
    expect(printed[method].mock.calls).toEqual([]);
};

it('install({ debug: true }) called for many pages prints the no-window notice once', () => {
  expect(typeof window).toBe('undefined');
  const agents = Array.from({ length: 50 }, () => install({ debug: true }));
  expectPrinted([[NOTICE]]);
  for (const agent of agents)
    expect(agent.diagnostics()).toMatchObject({ installed: false, patches: [], queued: 0 });
});

it('prints the notice once for every copy of the agent in the process', async () => {
  install({ debug: true });
  createAgent({ debug: true }).install();
  // Another copy of the module, as a second bundle would carry it: it shares the notice.
  vi.resetModules();
  const copy = await import('../../src/index');
  expect(copy.install).not.toBe(install);
  copy.install({ debug: true });
  copy.createAgent({ debug: true }).install();
  expectPrinted([[NOTICE]]);
});

it('prints nothing without debug, and the notice once when a later install asks for debug', () => {
  for (let page = 0; page < 5; page++) install();
  expectPrinted([]);
  install({ debug: true });
  install({ debug: true });
  install();
  expectPrinted([[NOTICE]]);
});
