import type { AgentOptions } from '../types';

/**
 * Decides which errors are logged. In each minute (from the first occurrence after the last
 * minute ended, by `Date.now()`), allows at most `perSignature` occurrences of one signature
 * (default 5) and `perMinute` in all (default 60); the others are counted in `dropped`
 * (signature → count, in first-dropped order; past 20 signatures the rest add up under ''). The
 * caller empties `dropped` when it reports it; that does not reopen the limits. Memory stays
 * bounded whatever the rate: at most `perMinute` counters and 21 dropped entries.
 */
export function createRateLimiter(
  limits: AgentOptions['errorLimits'],
  dropped: Map<string, number>,
): (signature: string) => boolean {
  const { perSignature = 5, perMinute = 60 } = limits || {};
  let start = -Infinity;
  let logged = 0;
  let counts = new Map<string, number>();
  return (signature) => {
    const time = Date.now();
    // Unless the time is within the current minute, a new one starts (also when the clock was set
    // back).
    if (!(time >= start && time - start < 60_000)) {
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
  };
}
