import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { LoupeIds } from './types';

const COOKIE_NAME = 'LoupeSessionId';
// Node lowercases incoming header names; the contract's spellings are `loupesessionid` (no
// hyphens, the legacy name) and `loupe-agent-sessionId`.
const SESSION_HEADER = 'loupesessionid';
const AGENT_SESSION_HEADER = 'loupe-agent-sessionid';
const MAX_ID_LENGTH = 128;

/**
 * The Loupe ids a request carries: the session id from the `loupesessionid` header, else from the
 * `LoupeSessionId` cookie; the agent session id from the `loupe-agent-sessionId` header. An empty,
 * over-long (> 128 characters) or control-character value counts as absent.
 */
export function readLoupeIds(headers: IncomingHttpHeaders): LoupeIds {
  return {
    sessionId: cleanId(headers[SESSION_HEADER]) ?? cleanId(readCookie(headers.cookie, COOKIE_NAME)),
    agentSessionId: cleanId(headers[AGENT_SESSION_HEADER]),
  };
}

/** Give the response a new session: the `LoupeSessionId` cookie and the `loupesessionid` header. */
export function issueSessionId(request: IncomingMessage, response: ServerResponse): string {
  const id = randomUUID();
  // Not HttpOnly: the agent reads the cookie to stamp its messages. No Expires: one browser session.
  let cookie = `${COOKIE_NAME}=${id}; Path=/; SameSite=Lax`;
  if ((request.socket as { encrypted?: boolean } | null)?.encrypted) cookie += '; Secure';
  const existing = response.getHeader('set-cookie');
  const cookies =
    existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  response.setHeader('Set-Cookie', [...cookies, cookie]);
  response.setHeader(SESSION_HEADER, id);
  return id;
}

/** A top-level page load: GET or HEAD for an HTML document. */
export function isPageRequest(request: IncomingMessage): boolean {
  const { method, headers } = request;
  if (method !== 'GET' && method !== 'HEAD') return false;
  return headers['sec-fetch-dest'] === 'document' || /\btext\/html\b/.test(headers.accept ?? '');
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 0 || pair.slice(0, equals).trim() !== name) continue;
    const value = pair
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

function cleanId(value: string | string[] | undefined): string | undefined {
  const id = (Array.isArray(value) ? value[0] : value)?.trim();
  // eslint-disable-next-line no-control-regex
  return id && id.length <= MAX_ID_LENGTH && !/[\u0000-\u001f\u007f]/.test(id) ? id : undefined;
}
