import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { contractProblems } from './contract';
import type { TestServer } from './server';

/** One line the page printed to its console. */
export interface ConsoleLine {
  type: string;
  text: string;
}

const MARK = 'console-settled-';

/**
 * A page in a fresh context of `browser`, watched: every console line it prints is recorded, and
 * every request to a host other than 127.0.0.1 is blocked and recorded as astray (the tests talk
 * to local servers only, so nothing may leave for anywhere else).
 */
export async function openWatchedPage(browser: Browser) {
  const context: BrowserContext = await browser.newContext();
  const astray: string[] = [];
  await context.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => {
      astray.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  const page: Page = await context.newPage();
  const lines: ConsoleLine[] = [];
  page.on('console', (message) => {
    if (!message.text().startsWith(MARK))
      lines.push({ type: message.type(), text: message.text() });
  });
  let marks = 0;
  return {
    context,
    page,
    /** Requests that were on their way to another host. */
    astray,
    /** What the page printed, in order. Read it after `settled()`. */
    lines,
    /**
     * Resolves once every line printed so far is in `lines`: the page prints a mark, and console
     * events arrive in the order they were printed.
     */
    async settled(): Promise<ConsoleLine[]> {
      const mark = MARK + ++marks;
      const seen = page.waitForEvent('console', (message) => message.text() === mark);
      await page.evaluate((mark) => console.debug(mark), mark);
      await seen;
      return lines;
    },
  };
}

/**
 * Nothing went astray: no request left for another host, every POST the local server saw went to
 * /loupe/log with a well-formed body, and every other request asked for a path that `gets` allows
 * (the pages and scripts of the test).
 */
export function expectNothingAstray(astray: string[], server: TestServer, gets: RegExp) {
  expect(astray).toEqual([]);
  for (const request of server.requests) {
    const path = request.path.split('?')[0]!;
    if (request.method === 'POST') {
      expect(path).toBe('/loupe/log');
      expect(contractProblems(request.body)).toEqual([]);
    } else {
      expect(path).toMatch(gets);
    }
  }
}

export type WatchedPage = Awaited<ReturnType<typeof openWatchedPage>>;
