import { attempt } from '../util/attempt';

/** The `LoupeSessionId` cookie the server issues, or '' when it is absent or unreadable. */
export const readSessionCookie = (scope: any): string =>
  // Read once a second while the app logs: no cookie (often, e.g. HttpOnly) must not throw,
  // which costs far more than the read. A malformed escape still does.
  attempt(() =>
    decodeURIComponent(/(?:^|;\s*)LoupeSessionId=([^;]*)/.exec(scope.document.cookie)?.[1] ?? ''),
  ) ?? '';
