import { expect, it } from 'vitest';
import { readScriptOptions } from '../../src/dropin/readScriptOptions';

it('reads nothing from a bare script tag', () => {
  expect(readScriptOptions({})).toEqual({});
});

it('reads every data attribute', () => {
  expect(
    readScriptOptions({
      logServer: 'https://logs.example.com',
      credentials: '',
      propagateTo: 'https://api.example.com, https://cdn.example.com  https://x.example.com',
      propagateOnError: 'false',
      debug: '',
      propagate: 'false',
      captureErrors: 'false',
      captureFailedRequests: '4xx',
    }),
  ).toEqual({
    logServer: 'https://logs.example.com',
    credentials: true,
    propagateTo: ['https://api.example.com', 'https://cdn.example.com', 'https://x.example.com'],
    propagateOnError: false,
    debug: true,
    propagate: false,
    captureErrors: false,
    captureFailedRequests: '4xx',
  });
});

it('reads numbers for the numeric options', () => {
  expect(
    readScriptOptions({ flushInterval: '250', batchSize: '50', maxMessageSize: '4096' }),
  ).toEqual({
    flushInterval: 250,
    batchSize: 50,
    maxMessageSize: 4096,
  });
});

it('treats a present attribute as true and "false" or "0" as false', () => {
  expect(
    readScriptOptions({ debug: 'true', propagate: '0', captureFailedRequests: 'false' }),
  ).toEqual({
    debug: true,
    propagate: false,
    captureFailedRequests: false,
  });
  expect(readScriptOptions({ captureFailedRequests: '' })).toEqual({
    captureFailedRequests: '5xx',
  });
});

it('reads the filter lists: URLs separated by commas or spaces, error texts by commas', () => {
  expect(
    readScriptOptions({
      ignoreErrors: 'Request aborted, ResizeObserver',
      denyUrls: '/vendor/ chrome-extension://',
      allowUrls: 'https://shop.example/',
      captureErrors: 'true',
    }),
  ).toEqual({
    ignoreErrors: ['Request aborted', 'ResizeObserver'],
    denyUrls: ['/vendor/', 'chrome-extension://'],
    allowUrls: ['https://shop.example/'],
    captureErrors: true,
  });
});
