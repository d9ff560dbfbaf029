/** How an instrumented app request ended, as the request patches publish it. */
export interface RequestOutcome {
  kind: 'fetch' | 'xhr';
  method: string;
  /** Absolute URL as requested. */
  url: string;
  /** HTTP status; 0 for a network error. */
  status: number;
  /** Milliseconds from send to the end. */
  duration: number;
  /** The app aborted it (AbortController, xhr.abort()); not a failure. */
  aborted: boolean;
  /** It ran out of time: an XMLHttpRequest's or jQuery's `timeout`, `AbortSignal.timeout()`. */
  timedOut: boolean;
}

/**
 * How a patch reports a request's end, from what it kept: the method, the URL as the app gave it,
 * the base URL it was planned against and `Date.now()` at the start. A request that timed out
 * (aborted or not) is reported as timed out only; without either flag, it was neither.
 */
export type RequestEnded = (
  kind: 'fetch' | 'xhr',
  method: unknown,
  url: string,
  base: string,
  began: number,
  status: number,
  aborted?: boolean,
  timedOut?: unknown,
) => void;
