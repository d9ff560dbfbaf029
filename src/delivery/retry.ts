const FIRST_DELAY = 1000;
const MAX_BACKOFF = 5 * 60_000;
// setTimeout fires at once past 2^31-1 ms; no server needs us to wait longer than an hour.
const MAX_DELAY = 60 * 60_000;

/**
 * Whether a log request that ended with `status` should be sent again: network errors (0), 401
 * (the legacy agents retry it: a sign-in may fix it), 408, 429 and 5xx. Any other failure is the
 * server rejecting the content itself, which no retry can fix.
 */
export function shouldRetry(status: number): boolean {
  return !status || status == 401 || status == 408 || status == 429 || status >= 500;
}

/**
 * Milliseconds to wait after the `failures`-th failure in a row: exponential backoff with jitter
 * (half to all of 1 s, 2 s, 4 s… up to 5 min), or longer when the server's `Retry-After` (seconds
 * or an HTTP date) asks for it. `random` is in [0, 1).
 */
export function retryDelay(
  failures: number,
  retryAfter: string | null | undefined,
  now: number,
  random: number,
): number {
  const backoff = Math.min(FIRST_DELAY * 2 ** (failures - 1), MAX_BACKOFF) * (1 - random / 2);
  let asked = retryAfter ? Number(retryAfter) * 1000 : 0;
  if (isNaN(asked)) asked = Date.parse(retryAfter as string) - now;
  return Math.min(Math.max(backoff, asked || 0), MAX_DELAY);
}
