import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { contractProblems } from '../helpers/contract';
import { type Engine, type EnginePage, enginesToRun, launchEngine } from '../helpers/engines';
import { type Route, type TestServer, startServer } from '../helpers/server';

export const AGENT = '<script src="/dist/loupe-agent.min.js"></script>';
export const JQUERY = '<script src="/node_modules/jquery/dist/jquery.min.js"></script>';
export const SCRIPT = { 'Content-Type': 'text/javascript; charset=utf-8' };

/** What every cross-engine test gets: its engine, the site, a third party and its pages. */
export interface Suite {
  engine: Engine;
  /** The page's origin. */
  site: TestServer;
  /** Another origin: a third-party API that allows simple cross-origin requests only. */
  third: TestServer;
  /** Serve `head` as a page of the site on a fresh path and open it in a fresh profile. */
  open(head: string, headers?: Record<string, string>): Promise<EnginePage>;
  /** Every message the site received with this caption. */
  messages(caption: string): any[];
  /** Wait until a message with this caption arrived, and return it. */
  message(caption: string): Promise<any>;
}

/**
 * Run `tests` once per engine, each engine in its own describe block. `route` answers the site's
 * requests before the default handling.
 */
export function describeEngines(tests: (suite: Suite) => void, route?: Route): void {
  describe.each(enginesToRun().engines)('%s', (name) => {
    const pages: EnginePage[] = [];
    let count = 0;
    const suite = {
      async open(head: string, headers: Record<string, string> = {}) {
        const path = `/page-${++count}`;
        suite.site.page(
          path,
          `<!doctype html><html><head><meta charset="utf-8">${head}</head><body></body></html>`,
          headers,
        );
        const page = await suite.engine.open(suite.site.origin + path);
        pages.push(page);
        return page;
      },
      messages: (caption: string) =>
        suite.site.logMessages().filter((message) => message.caption === caption),
      async message(caption: string) {
        await suite.site.waitFor(() => suite.messages(caption).length > 0);
        return suite.messages(caption)[0];
      },
    } as Suite;

    beforeAll(async () => {
      [suite.engine, suite.site, suite.third] = await Promise.all([
        launchEngine(name),
        startServer(route),
        startServer((_, response) => {
          response.writeHead(200, {
            'Access-Control-Allow-Origin': '*',
            'Content-Type': 'text/plain',
          });
          response.end('third-party');
          return true;
        }),
      ]);
    });
    afterEach(async () => {
      await Promise.all(pages.splice(0).map((page) => page.close()));
      // Whatever reached the log endpoint binds strictly, as the server reads it.
      for (const request of suite.site.logRequests())
        expect(contractProblems(request.body), request.body).toEqual([]);
    });
    afterAll(async () => {
      await suite.engine?.close();
      await Promise.all([suite.site?.close(), suite.third?.close()]);
    });

    tests(suite);
  });
}
