import type { Scope } from '../context';
import { toText } from '../message/toJsonText';
import type { Header } from '../types';

/** Where log requests go and what they carry besides the messages. */
export interface LogServer {
  /** The server's base URL, as `diagnostics()` shows it. */
  url(): string;
  /** `{server}/loupe/log`. */
  endpoint(): string;
  /** The log server's origin, so that the request patches leave log requests alone. */
  origin(): string;
  credentials(): RequestCredentials;
  /** The headers added with `addHeader`. */
  headers(): Array<[string, string]>;
  set(url: unknown, credentials?: boolean): void;
  addHeader(header: Header): void;
}

/** The page's own origin until `set` names another server. */
export function createLogServer(scope: Scope | undefined, credentials: boolean): LogServer {
  const pageOrigin = scope?.location.origin ?? '';
  const headers: Array<[string, string]> = [];
  let base = pageOrigin;
  let origin = pageOrigin;
  return {
    url: () => base,
    endpoint: () => base + '/loupe/log',
    origin: () => origin,
    credentials: () => (credentials ? 'include' : 'same-origin'),
    headers: () => headers,
    set(url, withCredentials) {
      base = toText(url).replace(/\/+$/, '') || pageOrigin;
      try {
        origin = new URL(base, scope?.location.href).origin;
      } catch {
        origin = pageOrigin;
      }
      if (withCredentials != null) credentials = !!withCredentials;
    },
    addHeader(header) {
      if (header?.name) headers.push([toText(header.name), toText(header.value)]);
    },
  };
}
