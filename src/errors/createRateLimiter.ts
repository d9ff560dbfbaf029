/** Decides which errors are logged, and counts the ones that are not. */
export interface RateLimiter {
  /** True when this occurrence may be logged; false counts it as dropped. */
  allow(signature: string): boolean;
  /**
   * The dropped occurrences since the last call, as [signature, count] in first-dropped order;
   * past 20 signatures the rest add up under ''. Does not reopen the limits.
   */
  takeDropped(): Array<[string, number]>;
}

/**
 * In each minute (from the first occurrence after the last minute ended), log at most
 * `perSignature` occurrences of one signature and `perMinute` in all. Memory stays bounded
 * whatever the rate: at most `perMinute` counters and 20 dropped signatures.
 */
export function createRateLimiter(
  perSignature: number,
  perMinute: number,
  now: () => number,
): RateLimiter {
  let start = -Infinity;
  let logged = 0;
  let counts = new Map<string, number>();
  let dropped = new Map<string, number>();
  return {
    allow(signature) {
      const time = now();
      if (time - start >= 60_000 || time < start) {
        start = time;
        logged = 0;
        counts = new Map();
      }
      const count = counts.get(signature) || 0;
      if (count < perSignature && logged++ < perMinute) {
        counts.set(signature, count + 1);
        return true;
      }
      const key = dropped.has(signature) || dropped.size < 20 ? signature : '';
      dropped.set(key, (dropped.get(key) || 0) + 1);
      return false;
    },
    takeDropped() {
      const list = [...dropped];
      dropped = new Map();
      return list;
    },
  };
}
