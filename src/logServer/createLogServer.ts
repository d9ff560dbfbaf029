import type { Scope } from '../context';
import { PAGE_ONLY } from '../environment';
import { toText } from '../message/toJsonText';
import type { Header } from '../types';

/** Where log requests go and what they carry besides the messages. */
export interface LogServer {
  /** The server's base URL, as `diagnostics()` shows it. */
  baseUrl(): string;
  /** `{server}/loupe/log`; '' while the server set is not usable (nothing is sent then). */
  endpoint(): string;
  /** The log server's origin, so that the request patches leave log requests alone. */
  logOrigin(): string;
  requestCredentials(): RequestCredentials;
  /** The headers added with `addHeader`. */
  headers(): Array<[string, string]>;
  /** Whether a beacon may carry a batch: not when the server needs headers given with `addHeader`. */
  beaconable(): boolean;
  set(url: unknown, credentials?: boolean): void;
  addHeader(header: Header): void;
}

/**
 * The page's own origin until `set` names another server: an absolute http(s) URL, or '' or null
 * for the page's origin again. Requests carry cookies while `credentials` is truthy.
 */
export function createLogServer(scope: Scope | undefined, credentials: unknown): LogServer {
  // The drop-in always has a page.
  const pageOrigin = PAGE_ONLY ? scope!.location.origin : (scope?.location.origin ?? '');
  const headers: Array<[string, string]> = [];
  let base = pageOrigin;
  let origin = pageOrigin;
  return {
    baseUrl: () => base,
    endpoint: () => base && base + '/loupe/log',
    logOrigin: () => origin,
    requestCredentials: () => (credentials ? 'include' : 'same-origin'),
    headers: () => headers,
    beaconable: () => !headers[0],
    set(url, withCredentials) {
      const text = toText(url).replace(/\/+$/, '');
      base = origin = '';
      try {
        if (!text || /^https?:\/\//i.test(text))
          origin = new URL((base = text || pageOrigin)).origin;
      } catch {}
      // A host name alone would be taken as a path on the page's own origin, and the messages
      // sent there lost: they wait for a usable server instead.
      if (!origin && (PAGE_ONLY || scope)) {
        base = '';
        console.error(
          `[loupe-agent] Log server "${text}" is not an absolute http(s) URL: messages wait.`,
        );
      }
      if (withCredentials != null) credentials = withCredentials;
    },
    addHeader(header) {
      if (header?.name) headers.push([toText(header.name), toText(header.value)]);
    },
  };
}
