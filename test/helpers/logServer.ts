import type { IncomingMessage, ServerResponse } from 'node:http';
import { expect } from 'vitest';
import { type ServerRequest, type TestServer, startServer } from './server';

/**
 * How the log endpoint answers a request: `status` (default 204) with `headers`; `delay` holds
 * the answer back after reading the body; `drop` closes the connection without an answer.
 */
export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  delay?: number;
  drop?: boolean;
}

/** A log server on 127.0.0.1 that serves the app's pages and records what it accepted (2xx). */
export interface LogServer {
  server: TestServer;
  /** Log requests answered 2xx, in the order the server read them. */
  accepted: ServerRequest[];
  /** How the next log request is answered; reset with `answerWith(() => ({}))`. */
  answerWith(answer: (request: ServerRequest) => Answer): void;
  close(): Promise<void>;
}

export async function startLogServer(
  other?: (request: ServerRequest, response: ServerResponse) => boolean | void,
): Promise<LogServer> {
  const accepted: ServerRequest[] = [];
  let answer: (request: ServerRequest) => Answer = () => ({});
  const server = await startServer(async (request, response) => {
    if (other?.(request, response)) return true;
    if (request.method !== 'POST' || request.path.split('?')[0] !== '/loupe/log') return false;
    const { status = 204, headers = {}, delay = 0, drop } = answer(request);
    if (drop) {
      response.socket?.destroy();
      return true;
    }
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    if (status < 300) accepted.push(request);
    response.writeHead(status, headers);
    response.end();
    return true;
  });
  return {
    server,
    accepted,
    answerWith: (next) => (answer = next),
    close: () => server.close(),
  };
}

export type { IncomingMessage };

export const messagesOf = (request: ServerRequest): any[] => {
  try {
    return JSON.parse(request.body).logMessages;
  } catch {
    return [];
  }
};
export const isOf = (prefix: string) => (message: any) =>
  String(message.caption).startsWith(prefix + '-');

/** Poll a condition; fail after `timeout` ms. */
export async function until(condition: () => boolean, timeout = 20_000, what = 'the log server') {
  const end = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Every message of `prefix` (`prefix-1` to `prefix-count`) among `messages` came exactly once,
 * with no (agentSessionId, sequence) twice.
 */
export function expectExactlyOnce(messages: any[], prefix: string, count: number) {
  const mine = messages.filter(isOf(prefix));
  const captions = mine.map((message) => message.caption).sort();
  const expected = Array.from({ length: count }, (_, index) => prefix + '-' + (index + 1)).sort();
  expect(captions).toEqual(expected);
  const ids = mine.map((message) => message.agentSessionId + '#' + message.sequence);
  expect(new Set(ids).size).toBe(ids.length);
}
