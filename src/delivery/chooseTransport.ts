/** How a batch leaves the page; undefined: it cannot leave now and stays stored. */
export type Transport = 'fetch' | 'keepalive' | 'beacon' | undefined;

// A beacon carries at most 64 KiB, and all keepalive requests in flight on a page share 64 KiB.
export const KEEPALIVE_QUOTA = 65536;

/**
 * The one decision of how a batch of `bytes` leaves, given what the page's keepalive quota has
 * left (beacons and keepalive requests share it), whether the server needs headers that a beacon
 * cannot carry, and whether the engine has `sendBeacon` and honours keepalive.
 *
 * While the page lives: a keepalive fetch when the engine honours keepalive and the batch fits,
 * so that a page leaving while it is in flight need not keep the batch; every other retry goes as
 * a plain fetch, since a keepalive one can fail where a plain one would not (the quota is shared
 * with the app). At exit: only what the engine carries on after the page is gone, a beacon unless
 * headers are required, else a keepalive fetch; nothing when neither fits.
 */
export const chooseTransport = (
  exit: boolean,
  bytes: number,
  quotaLeft: number,
  headersRequired: boolean,
  beacon: boolean,
  keepalive: boolean,
  failures: number,
): Transport =>
  !exit
    ? keepalive && bytes <= quotaLeft && !(failures & 1)
      ? 'keepalive'
      : 'fetch'
    : bytes > quotaLeft
      ? undefined
      : beacon && !headersRequired
        ? 'beacon'
        : keepalive
          ? 'keepalive'
          : undefined;

/**
 * Whether the engine honours `keepalive` on fetch. Engines without it (Firefox before 133) accept
 * the option, ignore it and cancel the request with the page; their `Request` has no `keepalive`.
 */
export const hasKeepalive = (scope: { Request?: typeof Request } | undefined): boolean =>
  'keepalive' in (scope?.Request?.prototype || {});

/**
 * Whether `headers` hold any the server may require: anything beyond the session ids, which also
 * travel in the body and so may be left out of a beacon.
 */
export const requiresHeaders = (headers: Record<string, string>): boolean =>
  Object.keys(headers).some((name) => !/^loupe(-agent-)?sessionid$/i.test(name));
