import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { contractProblems } from './contract';
import type { TestServer } from './server';

/**
 * Flush the page's agent (`window.loupe`); every message `server` received from it, each body
 * checked against the server's strict binding.
 */
export async function messagesOf(page: Page, server: TestServer): Promise<any[]> {
  const id = await page.evaluate(async () => {
    const loupe = (window as any).loupe;
    await loupe.flush();
    return loupe.clientSessionHeader().headerValue as string;
  });
  const bodies = server
    .logRequests()
    .map((request) => request.body)
    .filter((body) => body.includes(id));
  for (const body of bodies) expect(contractProblems(body)).toEqual([]);
  return bodies.flatMap((body) => JSON.parse(body).logMessages);
}

/** Wait until the page's agent has delivered `count` messages to `server`, then return them. */
export async function waitForMessages(
  page: Page,
  server: TestServer,
  count: number,
): Promise<any[]> {
  let messages: any[] = [];
  await expect
    .poll(async () => (messages = await messagesOf(page, server)).length, { timeout: 10_000 })
    .toBeGreaterThanOrEqual(count);
  return messages;
}
