/** The `LoupeSessionId` cookie the server issues, or '' when it is absent or unreadable. */
export function readSessionCookie(scope: { document?: Document } | undefined): string {
  try {
    const cookies = scope?.document?.cookie;
    if (!cookies) return '';
    const match = /(?:^|;\s*)LoupeSessionId=([^;]*)/.exec(cookies);
    return match ? decodeURIComponent(match[1] as string) : '';
  } catch {
    return '';
  }
}
