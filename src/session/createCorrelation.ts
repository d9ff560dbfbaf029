import { toText } from '../message/toJsonText';
import { attempt } from '../util/attempt';

/** The ids that link the page's requests and messages to the Loupe session. */
export interface Correlation {
  /** `setSessionId`'s id, else the `LoupeSessionId` cookie's (read at most once a second). */
  sessionId(): string;
  /**
   * The headers for the app's requests: `loupe-agent-sessionId`, and `LoupeSessionId` once
   * `setSessionId` was called (the server reads it before its cookie, so it goes out only then).
   * The same array until the ids change: callers must not modify it.
   */
  headers(): Array<[string, string]>;
  setSessionId(id: unknown): void;
}

export function createCorrelation(scope: any, agentSessionId: string): Correlation {
  // The `LoupeSessionId` cookie the server issues, or '' when it is absent or unreadable. Read
  // once a second while the app logs: no cookie (often, e.g. HttpOnly) must not throw, which
  // costs far more than the read. A malformed escape still does.
  const readCookie = () =>
    attempt(() =>
      decodeURIComponent(/(?:^|;\s*)LoupeSessionId=([^;]*)/.exec(scope.document.cookie)?.[1] ?? ''),
    ) ?? '';
  let explicit = '';
  let cookie = readCookie();
  let readAt = Date.now();
  let headers: Array<[string, string]> = [['loupe-agent-sessionId', agentSessionId]];
  return {
    sessionId() {
      // Reading document.cookie is slow, and the app may log in a tight loop.
      const now = Date.now();
      if (now - readAt > 1000) {
        readAt = now;
        cookie = readCookie();
      }
      return explicit || cookie;
    },
    headers: () => headers,
    setSessionId(id) {
      explicit = toText(id);
      headers = [headers[0]!];
      if (explicit) headers.push(['LoupeSessionId', explicit]);
    },
  };
}
