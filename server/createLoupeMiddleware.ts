import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerPreflight, applyCors, createOriginTest } from './cors';
import { createLogBatch } from './createLogBatch';
import { createMemoryStore } from './createMemoryStore';
import { readBody } from './readBody';
import { isPageRequest, issueSessionId, readLoupeIds } from './sessionIds';
import type { LoupeIds, LoupeServerOptions } from './types';
import { validateLogRequest } from './validateLogRequest';

declare module 'node:http' {
  interface IncomingMessage {
    /** The Loupe session ids of this request, set by the Loupe middleware. */
    loupe?: LoupeIds;
  }
}

/** A `(request, response, next)` middleware for `node:http`, Express and Connect. */
export type LoupeMiddleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The server side of the Loupe browser agent. On every request it reads the session ids into
 * `request.loupe` (issuing the `LoupeSessionId` cookie on the first page load) and calls `next`;
 * it answers the log endpoint itself: CORS preflights, and `POST` bodies validated against the
 * contract and handed to the store.
 *
 * @example
 * const loupe = createLoupeMiddleware();
 * http.createServer((request, response) =>
 *   loupe(request, response, () => {
 *     console.log('request in session', request.loupe?.sessionId);
 *     response.end('hello');
 *   }),
 * );
 */
export function createLoupeMiddleware(options: LoupeServerOptions = {}): LoupeMiddleware {
  const path = options.path ?? '/loupe/log';
  const store = options.store ?? createMemoryStore();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const isAllowedOrigin = createOriginTest(options.allowedOrigins);
  const corsMaxAge = options.corsMaxAge ?? 600;
  const issue = options.issueSessionCookie ?? isPageRequest;
  const onStoreError =
    options.onStoreError ??
    ((error: unknown) => console.error('Loupe: log messages could not be stored:', error));

  const fail = (response: ServerResponse, status: number, error: string, extra = {}) => {
    const body = JSON.stringify({ error, ...extra });
    response.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'X-Content-Type-Options': 'nosniff',
      ...(status === 413 ? { Connection: 'close' } : {}),
    });
    response.end(body);
  };

  const receive = async (request: IncomingMessage, response: ServerResponse, ids: LoupeIds) => {
    const allowed = applyCors(request, response, isAllowedOrigin);
    if (request.method === 'OPTIONS') return answerPreflight(response, allowed, corsMaxAge);
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST, OPTIONS');
      return fail(response, 405, `send log messages with POST to ${path}`);
    }
    const reading = await readBody(request, maxBodyBytes);
    if (reading.kind === 'aborted') return response.destroy();
    if (reading.kind === 'tooLarge') {
      return fail(response, 413, `the body is larger than the limit of ${maxBodyBytes} bytes`);
    }
    let body: unknown;
    if (reading.kind === 'parsed') body = reading.value;
    else {
      let text: string;
      try {
        text = utf8.decode(reading.bytes);
      } catch {
        return fail(response, 400, 'the body is not valid UTF-8 text');
      }
      if (!text.trim()) return fail(response, 400, 'the body is empty; send a JSON log request');
      try {
        body = JSON.parse(text);
      } catch (error) {
        return fail(response, 400, `the body is not valid JSON (${(error as Error).message})`);
      }
    }
    const validation = validateLogRequest(body);
    if (!validation.ok) {
      return fail(response, 400, validation.problems[0] as string, {
        problems: validation.problems,
      });
    }
    try {
      await store.saveBatch(createLogBatch(validation.request, ids, new Date()));
    } catch (error) {
      onStoreError(error);
      return fail(response, 500, 'the log messages could not be stored');
    }
    response.writeHead(204);
    response.end();
  };

  return (request, response, next) => {
    let ids: LoupeIds = { sessionId: undefined, agentSessionId: undefined };
    try {
      ids = readLoupeIds(request.headers);
      if (!ids.sessionId && (typeof issue === 'function' ? issue(request) : issue)) {
        ids.sessionId = issueSessionId(request, response);
      }
    } catch {}
    request.loupe = ids;
    if ((request.url ?? '').split('?')[0] !== path) {
      next?.();
      return;
    }
    receive(request, response, ids).catch(() => {
      if (response.headersSent) response.destroy();
      else fail(response, 500, 'the log request could not be handled');
    });
  };
}
