/**
 * Whether a log request that ended with `status` should be sent again: network errors (0), 401
 * (the legacy agents retry it: a sign-in may fix it), 408, 429 and 5xx. Any other failure is the
 * server rejecting the content itself, which no retry can fix.
 */
export const shouldRetry = (status: number): boolean =>
  !status || status > 499 || status == 401 || status == 408 || status == 429;

/**
 * Milliseconds to wait after the `failures`-th failure in a row: exponential backoff with jitter
 * (half to all of 1 s, 2 s, 4 s… up to 5 min), or longer when the server's `Retry-After` (seconds
 * or an HTTP date) asks for it; at most an hour, since setTimeout fires at once past 2^31-1 ms
 * and no server needs us to wait longer. `now` and `random` (in [0, 1))
 * default to the clock and Math.random.
 */
export const retryDelay = (
  failures: number,
  retryAfter: string | null | undefined,
  now = Date.now(),
  random = Math.random(),
): number =>
  Math.min(
    Math.max(
      Math.min(2 ** failures * 500, 300_000) * (1 - random / 2),
      // Seconds, else a date; neither (or a date in the past) leaves the backoff.
      (retryAfter as any) * 1000 || Date.parse(retryAfter as string) - now || 0,
    ),
    3_600_000,
  );
