import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AgentContext } from '../../src/context';
import { installRequestPatches } from '../../src/instrument/installRequestPatches';
import type { RequestOutcome } from '../../src/instrument/requestOutcome';
import { createObservable } from '../../src/util/createObservable';
import { startNetwork } from '../helpers/network';

// How app requests end, as the patches publish it to context.requestOutcomes: every
// request that may have failed (a network error, an abort, a status of 400 or more).

let network: ReturnType<typeof startNetwork>;
let restores: Array<() => void> = [];
const outcomes: RequestOutcome[] = [];

beforeEach(() => {
  outcomes.length = 0;
  network = startNetwork(
    (request) => {
      const path = new URL(request.url).pathname;
      if (path === '/broken') return Response.error();
      if (path === '/fails') return new Response('no', { status: 503 });
      if (path === '/slow') return new Promise(() => {});
      // A log request that failed would be reported, were log requests not left alone.
      if (path === '/loupe/log') return new Response('no', { status: 500 });
      if (path !== '/ok') return new Response('', { status: 404 });
      return undefined;
    },
    { realXhr: true },
  );
});
afterEach(() => {
  restores.reverse().forEach((restore) => restore());
  restores = [];
  network.dispose();
});

/** The request patches with a context of our own, as the agent would install them. */
function installPatches(listen = true) {
  const requestOutcomes = createObservable<RequestOutcome>();
  if (listen) requestOutcomes.subscribe((outcome) => outcomes.push(outcome));
  const context: AgentContext = {
    scope: window as unknown as AgentContext['scope'],
    options: {},
    correlationHeaders: () => [['loupe-agent-sessionId', 'agent-1']],
    logOrigin: () => location.origin,
    write() {},
    propagatesErrors: () => true,
    track: (_name, restore) => void (restore && restores.push(restore)),
    requestOutcomes,
  };
  installRequestPatches(context);
}

function sendXhr(url: string, method = 'GET', abort = false): Promise<XMLHttpRequest> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.onloadend = () => resolve(xhr);
    xhr.send();
    if (abort) xhr.abort();
  });
}

it('reports how fetch calls end: status, method, absolute URL and duration', async () => {
  installPatches();
  await fetch('/missing?x=1');
  await fetch(new Request('/fails', { method: 'DELETE' }));
  await fetch('https://third-party.test/api', { method: 'post' });
  expect(outcomes).toEqual([
    expect.objectContaining({
      kind: 'fetch',
      method: 'GET',
      url: location.origin + '/missing?x=1',
      status: 404,
      aborted: false,
    }),
    expect.objectContaining({
      kind: 'fetch',
      method: 'DELETE',
      url: location.origin + '/fails',
      status: 503,
      aborted: false,
    }),
    expect.objectContaining({
      kind: 'fetch',
      method: 'POST',
      url: 'https://third-party.test/api',
      status: 404,
      aborted: false,
    }),
  ]);
  for (const outcome of outcomes) expect(outcome.duration).toBeGreaterThanOrEqual(0);
});

it('reports a network error as status 0 and still rejects the app', async () => {
  installPatches();
  await expect(fetch('/broken')).rejects.toThrow(TypeError);
  expect(outcomes).toEqual([
    expect.objectContaining({ url: location.origin + '/broken', status: 0, aborted: false }),
  ]);
});

it('reports an aborted fetch as aborted', async () => {
  installPatches();
  const controller = new AbortController();
  const pending = fetch('/slow', { signal: controller.signal });
  controller.abort();
  await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  expect(outcomes).toEqual([
    expect.objectContaining({ url: location.origin + '/slow', status: 0, aborted: true }),
  ]);
});

it('reports nothing for requests that succeeded', async () => {
  installPatches();
  await fetch('/ok');
  await sendXhr('/ok');
  expect(network.requests).toHaveLength(2);
  expect(outcomes).toEqual([]);
});

it('reports how XMLHttpRequests end', async () => {
  installPatches();
  await sendXhr('/missing');
  await sendXhr('/fails', 'put');
  await sendXhr('/broken');
  expect(outcomes).toEqual([
    expect.objectContaining({
      kind: 'xhr',
      method: 'GET',
      url: location.origin + '/missing',
      status: 404,
      aborted: false,
    }),
    expect.objectContaining({
      kind: 'xhr',
      method: 'PUT',
      url: location.origin + '/fails',
      status: 503,
      aborted: false,
    }),
    expect.objectContaining({
      kind: 'xhr',
      method: 'GET',
      url: location.origin + '/broken',
      status: 0,
      aborted: false,
    }),
  ]);
});

it('reports an aborted XMLHttpRequest as aborted, once', async () => {
  installPatches();
  await sendXhr('/slow', 'GET', true);
  await sendXhr('/missing');
  expect(outcomes).toEqual([
    expect.objectContaining({
      kind: 'xhr',
      url: location.origin + '/slow',
      status: 0,
      aborted: true,
    }),
    expect.objectContaining({
      kind: 'xhr',
      url: location.origin + '/missing',
      status: 404,
      aborted: false,
    }),
  ]);
});

it('reports only the last request of an xhr opened again while in flight', async () => {
  installPatches();
  const xhr = new XMLHttpRequest();
  xhr.open('GET', '/slow');
  xhr.send();
  // open() ends the request in flight without any event.
  xhr.open('GET', '/missing');
  await new Promise((resolve) => {
    xhr.onloadend = resolve;
    xhr.send();
  });
  expect(outcomes).toEqual([
    expect.objectContaining({ kind: 'xhr', url: location.origin + '/missing', status: 404 }),
  ]);
});

it('does not report an xhr the app aborts and opens again at once as failed', async () => {
  installPatches();
  const xhr = new XMLHttpRequest();
  xhr.open('GET', '/slow');
  xhr.send();
  xhr.abort();
  xhr.open('GET', '/missing');
  await new Promise((resolve) => {
    xhr.onloadend = resolve;
    xhr.send();
  });
  expect(outcomes.filter((outcome) => !outcome.aborted)).toEqual([
    expect.objectContaining({ kind: 'xhr', url: location.origin + '/missing', status: 404 }),
  ]);
});

it('never reports Loupe log requests', async () => {
  installPatches();
  await fetch('/loupe/log', { method: 'POST', body: '{}' });
  await sendXhr('/loupe/log', 'POST');
  expect(outcomes).toEqual([]);
  expect(network.requests.map((request) => request.headers.has('loupe-agent-sessionId'))).toEqual([
    false,
    false,
  ]);
});

it('returns the promise of the fetch below untouched when nobody listens', async () => {
  const answer = Promise.resolve(new Response('from below'));
  const below = () => answer;
  const saved = Object.getOwnPropertyDescriptor(window, 'fetch')!;
  Object.defineProperty(window, 'fetch', { value: below, writable: true, configurable: true });
  restores.push(() => Object.defineProperty(window, 'fetch', saved));
  installPatches(false);
  expect(fetch('/anything')).toBe(answer);
  expect(outcomes).toEqual([]);
});
