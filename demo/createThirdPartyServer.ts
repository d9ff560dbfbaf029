import { createServer } from 'node:http';
import { readLoupeIds } from '../server/index';
import { recordRequest } from './recordRequest';
import { sendJson } from './sendJson';
import type { RequestRecord } from './types';

const QUOTES = [
  'Simplicity is prerequisite for reliability.',
  'Make it work, make it right, make it fast.',
  'The best error message is the one that never shows up.',
  'Measure twice, cut once.',
];

/**
 * A stand-in for an API on another origin. It allows the demo page's origin to call it (CORS) but,
 * like a real third party, not the Loupe headers: the agent must not send them here.
 */
export function createThirdPartyServer(
  allowedOrigins: () => string[],
  save: (record: RequestRecord) => void,
) {
  let count = 0;
  return createServer((request, response) => {
    const ids = readLoupeIds(request.headers);
    recordRequest(request, response, 'third-party', ids, save);
    const origin = request.headers.origin;
    const cors: Record<string, string> =
      origin && allowedOrigins().includes(origin)
        ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' }
        : { Vary: 'Origin' };
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET' });
      response.end();
      return;
    }
    if (request.method !== 'GET' || !request.url?.startsWith('/quote')) {
      sendJson(response, 404, { error: 'try GET /quote' }, cors);
      return;
    }
    sendJson(
      response,
      200,
      {
        quote: QUOTES[count++ % QUOTES.length],
        receivedSessionId: ids.sessionId ?? null,
        receivedAgentSessionId: ids.agentSessionId ?? null,
      },
      cors,
    );
  });
}
