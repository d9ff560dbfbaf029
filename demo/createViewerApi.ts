import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './sendJson';
import type { DemoStore } from './types';

/** What the viewer shows in its header. */
export interface DemoAbout {
  demoUrl: string;
  logEndpoint: string;
  thirdPartyOrigin: string;
}

const KEEP_ALIVE_MS = 20_000;

/**
 * The viewer's JSON API and its live feed: `GET /viewer/api/sessions`,
 * `GET /viewer/api/timeline?session=<id>` (empty: the uncorrelated items) and `GET /viewer/events`,
 * a server-sent event stream that says when something new was stored.
 */
export function createViewerApi(store: DemoStore, about: () => DemoAbout) {
  const listeners = new Set<ServerResponse>();
  let revision = 0;
  const keepAlive = setInterval(() => {
    for (const listener of listeners) listener.write(': keep-alive\n\n');
  }, KEEP_ALIVE_MS);
  keepAlive.unref();

  return {
    /** Tell the open viewers that something was stored. */
    changed(): void {
      revision++;
      for (const listener of listeners) listener.write(`data: ${revision}\n\n`);
    },

    /** Answer the request when it is for the viewer's API; returns false otherwise. */
    handle(request: IncomingMessage, response: ServerResponse, url: URL): boolean {
      if (request.method !== 'GET') return false;
      switch (url.pathname) {
        case '/viewer/api/sessions':
          sendJson(response, 200, { about: about(), revision, sessions: store.sessions() });
          return true;
        case '/viewer/api/timeline':
          sendJson(response, 200, {
            revision,
            items: store.timeline(url.searchParams.get('session') || null),
          });
          return true;
        case '/viewer/events':
          response.writeHead(200, {
            'Content-Type': 'text/event-stream; charset=utf-8',
            'Cache-Control': 'no-store',
            Connection: 'keep-alive',
          });
          response.write(`retry: 2000\ndata: ${revision}\n\n`);
          listeners.add(response);
          request.once('close', () => listeners.delete(response));
          return true;
        default:
          return false;
      }
    },

    close(): void {
      clearInterval(keepAlive);
      for (const listener of listeners) listener.end();
      listeners.clear();
    },
  };
}
