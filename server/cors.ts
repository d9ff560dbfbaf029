import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AllowedOrigins } from './types';

const ALLOWED_HEADERS = 'loupe-agent-sessionId, LoupeSessionId, Content-Type';

/**
 * CORS for the log endpoint: adds the headers that let an allowed origin post and read the answer
 * (cookies included), and returns whether the origin is allowed. Other origins get no CORS headers,
 * so the browser refuses their cross-origin request.
 */
export function applyCors(
  request: IncomingMessage,
  response: ServerResponse,
  isAllowed: (origin: string) => boolean,
): boolean {
  const origin = request.headers.origin;
  response.setHeader('Vary', 'Origin');
  if (!origin || !isAllowed(origin)) return false;
  response.setHeader('Access-Control-Allow-Origin', origin);
  response.setHeader('Access-Control-Allow-Credentials', 'true');
  response.setHeader('Access-Control-Expose-Headers', 'loupesessionid');
  return true;
}

/** Answer a preflight: the method and the agent's headers for an allowed origin. */
export function answerPreflight(response: ServerResponse, allowed: boolean, maxAge: number): void {
  if (allowed) {
    response.setHeader('Access-Control-Allow-Methods', 'POST');
    response.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    response.setHeader('Access-Control-Max-Age', String(maxAge));
  }
  response.writeHead(204, { Allow: 'POST, OPTIONS' });
  response.end();
}

/** `'*'` allows every origin; strings match an origin exactly (case and trailing slash aside). */
export function createOriginTest(allowed: AllowedOrigins | undefined): (origin: string) => boolean {
  if (typeof allowed === 'function') return (origin) => allowed(origin) === true;
  const rules =
    allowed === undefined
      ? []
      : typeof allowed === 'string' || allowed instanceof RegExp
        ? [allowed]
        : allowed;
  const normalize = (origin: string) => origin.toLowerCase().replace(/\/+$/, '');
  const tests = rules.map((rule) => {
    if (typeof rule !== 'string') {
      const pattern = new RegExp(rule.source, rule.flags.replace(/[gy]/g, ''));
      return (origin: string) => pattern.test(origin);
    }
    const expected = normalize(rule);
    return (origin: string) => rule === '*' || expected === normalize(origin);
  });
  // A sandboxed iframe or a file: page sends the origin "null": never trusted.
  return (origin) => origin !== 'null' && tests.some((test) => test(origin));
}
