/** The `LoupeSessionId` cookie the server issues, or '' when it is absent or unreadable. */
export function readSessionCookie(scope: any): string {
  try {
    // No scope, no cookie (no match) and a malformed escape all throw.
    return decodeURIComponent(/(?:^|;\s*)LoupeSessionId=([^;]*)/.exec(scope.document.cookie)![1]!);
  } catch {
    return '';
  }
}
