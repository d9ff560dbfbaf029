import { expect, it } from 'vitest';
import { AGENT, JQUERY, describeEngines } from './harness';

describeEngines((suite) => {
  it('adds the header once to same-origin fetch, XHR and jQuery calls, never to a third party', async () => {
    const page = await suite.open(JQUERY + AGENT);
    const id = await page.evaluate(async (thirdOrigin) => {
      const w = window as any;
      const xhr = (url: string) =>
        new Promise((resolve) => {
          const request = new XMLHttpRequest();
          request.open('GET', url);
          request.onloadend = resolve;
          request.send();
        });
      for (const origin of ['', thirdOrigin]) {
        await fetch(origin + '/api/fetch');
        await xhr(origin + '/api/xhr');
        await w.jQuery.get(origin + '/api/jquery');
      }
      return w.loupe.clientSessionHeader().headerValue as string;
    }, suite.third.origin);
    expect(id).toMatch(/^[\da-f-]{36}$/);
    for (const path of ['/api/fetch', '/api/xhr', '/api/jquery']) {
      const sent = suite.site.requests.filter((request) => request.path === path);
      expect(
        sent.map((request) => request.headers['loupe-agent-sessionid']),
        path,
      ).toEqual([id]);
    }
    // Simple requests only: no preflight, no header of the agent's.
    expect(
      suite.third.requests.map((request) => request.method + ' ' + request.path).sort(),
    ).toEqual(['GET /api/fetch', 'GET /api/jquery', 'GET /api/xhr']);
    for (const request of suite.third.requests) {
      expect(request.headers['loupe-agent-sessionid']).toBeUndefined();
      expect(request.headers['loupesessionid']).toBeUndefined();
    }
  });
});
