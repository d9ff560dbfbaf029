import type { ServerResponse } from 'node:http';
import { expect, it } from 'vitest';
import type { ServerRequest } from '../helpers/server';
import { AGENT, JQUERY, describeEngines } from './harness';

// /api/hang answers late, after every timeout and abort below (a browser has a few connections
// per server, and may keep one busy until its answer comes); /api/500 fails.
const route = (request: ServerRequest, response: ServerResponse) => {
  if (request.path.startsWith('/api/hang')) {
    setTimeout(() => {
      if (!response.destroyed) response.end('late');
    }, 1500);
    return true;
  }
  if (request.path.startsWith('/api/500')) {
    response.writeHead(500, { 'Content-Type': 'text/plain' });
    response.end('failed');
    return true;
  }
};

describeEngines((suite) => {
  const network = () => suite.site.logMessages().filter((message) => message.category == 'Network');

  it("hands fetch the app's init as given: inherited members and getters of private state", async () => {
    const page = await suite.open(AGENT);
    const id = await page.evaluate(async () => {
      class Options {
        #method = 'POST';
        get method() {
          return this.#method;
        }
      }
      Object.assign(Options.prototype, { body: 'from the prototype', headers: { 'X-App': 'yes' } });
      await fetch('/api/class-init', new Options() as RequestInit);
      await fetch('/api/inherited-init', Object.create({ method: 'PUT', body: 'inherited' }));
      const request = new Request('/api/request-and-init', { method: 'DELETE' });
      await fetch(request, new Options() as RequestInit);
      return (window as any).loupe.clientSessionHeader().headerValue as string;
    });
    const seen = (path: string) => suite.site.requests.find((request) => request.path === path)!;
    expect(seen('/api/class-init')).toMatchObject({ method: 'POST', body: 'from the prototype' });
    expect(seen('/api/class-init').headers['x-app']).toBe('yes');
    expect(seen('/api/inherited-init')).toMatchObject({ method: 'PUT', body: 'inherited' });
    expect(seen('/api/request-and-init')).toMatchObject({ method: 'POST' });
    for (const path of ['/api/class-init', '/api/inherited-init', '/api/request-and-init'])
      expect(seen(path).headers['loupe-agent-sessionid'], path).toBe(id);
  });

  it('logs timeouts of fetch, XHR and jQuery as timeouts, and never what the app aborted', async () => {
    const page = await suite.open(JQUERY + AGENT);
    const outcomes = await page.evaluate(async () => {
      const w = window as any;
      const xhr = (path: string, setup: (request: XMLHttpRequest) => void) =>
        new Promise<string>((resolve) => {
          const request = new XMLHttpRequest();
          request.open('GET', path);
          for (const type of ['load', 'error', 'abort', 'timeout'])
            request.addEventListener(type, () => resolve(type));
          setup(request);
          request.send();
        });
      const fetched = (path: string, signal: AbortSignal) =>
        fetch(path, { signal }).then(
          () => 'resolved',
          // Chromium and Firefox reject with the signal's reason, WebKit with an AbortError.
          () => 'rejected',
        );
      const jquery = (path: string, options: object, then?: (jqXHR: any) => void) =>
        new Promise<string>((resolve) => {
          const jqXHR = w.jQuery.ajax({ url: path, ...options });
          jqXHR.always((_: unknown, status: string) => resolve(status));
          then?.(jqXHR);
        });
      const aborted = (reason?: unknown) => {
        const controller = new AbortController();
        setTimeout(() => controller.abort(reason), 50);
        return controller.signal;
      };
      const outcomes = await Promise.all([
        fetched('/api/hang?fetch-timeout', AbortSignal.timeout(200)),
        xhr('/api/hang?xhr-timeout', (request) => void (request.timeout = 200)),
        jquery('/api/hang?jquery-timeout', { timeout: 200 }),
        fetched('/api/hang?fetch-abort', aborted()),
        fetched('/api/hang?fetch-abort-reason', aborted(new Error('the user left'))),
        fetched('/api/hang?fetch-abort-string', aborted('navigating')),
        xhr('/api/hang?xhr-abort', (request) => setTimeout(() => request.abort(), 50)),
        jquery('/api/hang?jquery-abort', {}, (jqXHR) => setTimeout(() => jqXHR.abort(), 50)),
        fetch('/api/500?failed').then((response) => 'HTTP ' + response.status),
      ]);
      await w.loupe.flush();
      return outcomes;
    });
    expect(outcomes).toEqual([
      'rejected',
      'timeout',
      'timeout',
      'rejected',
      'rejected',
      'rejected',
      'abort',
      'abort',
      'HTTP 500',
    ]);
    await suite.site.waitFor(() => network().length >= 4);
    const logged = network()
      .map((message) => [message.caption, message.description.split(' ')[1]!.split('?')[1]])
      .sort();
    expect(logged).toEqual([
      ['HTTP 500', 'failed'],
      ['Timeout', 'fetch-timeout'],
      ['Timeout', 'jquery-timeout'],
      ['Timeout', 'xhr-timeout'],
    ]);
    for (const message of network().filter((message) => message.caption == 'Timeout')) {
      expect(message.description).toMatch(/^GET http:\/\/\S+ failed: Timeout after \d+ ms$/);
      expect(JSON.parse(message.details)).toMatchObject({ status: 0, timedOut: true });
    }
  });
}, route);
