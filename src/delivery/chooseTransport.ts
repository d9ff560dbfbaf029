/** How a batch leaves the page. */
export type Transport = 'fetch' | 'keepalive' | 'beacon';

/** What the engine and the request allow; read once per decision. */
export interface TransportOptions {
  /** UTF-8 bytes of the request body. */
  bytes: number;
  /** Bytes the page's keepalive quota has left (beacons and keepalive requests share 64 KiB). */
  quotaLeft: number;
  /** The server needs headers (from `addHeader`) that a beacon cannot carry. */
  headersRequired: boolean;
  /** `navigator.sendBeacon` exists. */
  beacon: boolean;
  /** The engine keeps a keepalive request alive after the page is gone. */
  keepalive: boolean;
  /** Failed attempts in a row. */
  failures: number;
}

// A beacon carries at most 64 KiB, and all keepalive requests in flight on a page share 64 KiB.
export const KEEPALIVE_QUOTA = 65536;

/**
 * The one decision of how a batch leaves. While the page lives: a keepalive fetch when the engine
 * has keepalive and the batch fits the quota, so that a page leaving while it is in flight need not
 * keep the batch; every other retry goes as a plain fetch, since a keepalive one can fail where a
 * plain one would not (the quota is shared with the app). At exit (`exit`): only a mechanism the
 * engine carries on after the page is gone, a beacon unless the server needs headers, else a
 * keepalive fetch; undefined when none fits, and the batch stays stored for the next page.
 */
export const chooseTransport = (exit: boolean, how: TransportOptions): Transport | undefined => {
  const fits = how.bytes <= how.quotaLeft;
  if (!exit) return how.keepalive && fits && !(how.failures & 1) ? 'keepalive' : 'fetch';
  if (fits)
    return how.beacon && !how.headersRequired ? 'beacon' : how.keepalive ? 'keepalive' : undefined;
};

/**
 * Whether the engine supports `keepalive` on fetch. Engines without it (Firefox before 133) accept
 * the option and ignore it, and cancel the request when the page goes away; their `Request` has
 * no `keepalive` property.
 */
export const hasKeepalive = (scope: { Request?: typeof Request }): boolean => {
  try {
    return 'keepalive' in (scope.Request as typeof Request).prototype;
  } catch {
    return false;
  }
};

/**
 * Whether `headers` hold any the server may require: anything beyond the session ids, which also
 * travel in the body and so may be left out of a beacon.
 */
export const requiresHeaders = (headers: Record<string, string>): boolean =>
  Object.keys(headers).some((name) => !/^loupe(-agent-)?sessionid$/i.test(name));
