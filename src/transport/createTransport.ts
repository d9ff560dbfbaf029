import type { Scope } from '../context';

/** What a log request needs from the agent, read at send time so later settings apply. */
export interface TransportContext {
  scope: Scope;
  /** The page's own fetch, captured before any patch, so no instrumentation sees log requests. */
  fetch: typeof fetch | undefined;
  endpoint(): string;
  headers(): Record<string, string>;
  credentials(): RequestCredentials;
}

/** The two ways a batch leaves the page. */
export interface Transport {
  /** POST a body to the log endpoint: the status (0 for a network error) and `Retry-After`. */
  post(body: string, keepalive: boolean): Promise<[status: number, retryAfter: string | null]>;
  /** Hand a body to the browser to send even after the page is gone; false when it was refused. */
  beacon(body: string): boolean;
}

// The server reads JSON whatever the content type; text/plain needs no CORS preflight.
const TEXT = 'text/plain;charset=UTF-8';

export function createTransport(context: TransportContext): Transport {
  const post: Transport['post'] = async (body, keepalive) => {
    try {
      const response = await (context.fetch as typeof fetch).call(undefined, context.endpoint(), {
        method: 'POST',
        body,
        keepalive,
        headers: { 'Content-Type': TEXT, ...context.headers() },
        credentials: context.credentials(),
      });
      // Until its answer is read, Chromium counts the request in the page's keepalive quota.
      await response.text().catch(() => {});
      return [response.status, response.headers.get('Retry-After')];
    } catch {
      return [0, null];
    }
  };
  return {
    post,
    beacon(body) {
      try {
        const navigator = context.scope.navigator;
        // A beacon carries no headers: the ids travel in the body. A string body goes out as
        // text/plain;charset=UTF-8. Without sendBeacon, a keepalive fetch also outlives the page.
        if (navigator.sendBeacon) return navigator.sendBeacon(context.endpoint(), body);
        void post(body, true);
        return true;
      } catch {
        return false;
      }
    },
  };
}
