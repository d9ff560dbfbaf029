import { afterEach, expect, it, vi } from 'vitest';
import { checkOptions } from '../../src/checkOptions';
import type { AgentOptions } from '../../src/types';

// Options as bundles check them (the drop-in script checks the numbers and switches its data-*
// attributes carry: test/chromium/mistakes.test.ts).

afterEach(() => {
  vi.restoreAllMocks();
});

const VALID: AgentOptions = {
  logServer: 'https://logs.example.com',
  credentials: true,
  propagateTo: ['https://api.example.com', /\.example\.com$/],
  propagate: false,
  captureErrors: false,
  captureFailedRequests: '4xx',
  propagateOnError: false,
  errorLimits: { perSignature: 2 },
  maxMessageSize: 1000,
  batchSize: 10,
  flushInterval: 0,
  maxStoredMessages: 100,
  maxStoredBytes: 1e5,
  maxMessageAge: 6e4,
  earlyErrors: [],
  release: '1.2.3',
  beforeSend: (message) => message,
  ignoreErrors: 'Script error',
  denyUrls: /extension/,
  allowUrls: ['https://app.example.com'],
  noiseFilters: false,
  minSeverity: 'warning',
  debug: true,
};

it('keeps every option of the right type, and says nothing', () => {
  const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
  expect(checkOptions(VALID)).toEqual(VALID);
  expect(checkOptions({ propagateTo: (url) => url.hostname == 'api', minSeverity: 4 })).toEqual({
    propagateTo: expect.any(Function),
    minSeverity: 4,
  });
  expect(checkOptions({ captureFailedRequests: false, batchSize: undefined })).toEqual({
    captureFailedRequests: false,
    batchSize: undefined,
  });
  expect(printed).not.toHaveBeenCalled();
});

it('leaves out each option of the wrong type or value, named with its value in one console error', () => {
  const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
  const wrong: Record<string, unknown> = {
    maxMessageSize: '60KB',
    batchSize: -5,
    flushInterval: true,
    maxStoredMessages: Number.NaN,
    credentials: 'yes',
    propagate: 0,
    debug: 'true',
    captureFailedRequests: '6xx',
    minSeverity: 'loud',
    release: 7,
    beforeSend: 'drop',
    errorLimits: 3,
    ignoreErrors: 5,
    denyUrls: [/ok/, 42],
    propagateTo: [() => true],
  };
  // Options the agent does not know are passed on unchecked.
  expect(checkOptions({ ...wrong, debugger: 1 } as AgentOptions)).toEqual({ debugger: 1 });
  expect(printed).toHaveBeenCalledTimes(Object.keys(wrong).length);
  for (const [name, value] of Object.entries(wrong))
    expect(printed).toHaveBeenCalledWith(expect.stringMatching(/^\[loupe-agent\] /), name, value);
});
