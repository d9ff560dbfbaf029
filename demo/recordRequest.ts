import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoupeIds } from '../server/index';
import type { RequestRecord } from './types';

/** Call `save` with the request's record once the response has been sent. */
export function recordRequest(
  request: IncomingMessage,
  response: ServerResponse,
  server: RequestRecord['server'],
  ids: LoupeIds,
  save: (record: RequestRecord) => void,
): void {
  const at = Date.now();
  const started = process.hrtime.bigint();
  response.once('finish', () => {
    save({
      at,
      server,
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      status: response.statusCode,
      durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      sessionId: ids.sessionId,
      agentSessionId: ids.agentSessionId,
      origin: request.headers.origin,
    });
  });
}
