import type { PropagateTo, PropagationTarget } from '../types';

/** The agent's part in one app request. */
export interface RequestPlan {
  /** The absolute URL. */
  url: string;
  /** The correlation headers to add; none when the URL does not qualify. */
  headers: Array<[string, string]>;
}

/** What the policy depends on, read when a request starts. */
export interface OriginPolicySettings {
  /** The page's origin. */
  pageOrigin: string;
  /** The URL that relative request URLs resolve against (`document.baseURI`). */
  baseUrl(): string;
  /** The log server's origin. */
  logOrigin(): string;
  propagateTo?: PropagateTo | undefined;
  /** The correlation headers of the moment. */
  headers(): Array<[string, string]>;
}

// "/path", but not "//host" nor "/\host" (browsers read a backslash as a slash and drop tabs and
// newlines: https://url.spec.whatwg.org/#concept-basic-url-parser).
const PATH_ABSOLUTE = /^\/(?![/\\\t\n\r])/;
// A Loupe log request: the agent's own, another agent's or an older agent's on the same page.
const LOG_REQUEST = /\/loupe\/log(?:[?#]|$)/;

/**
 * Plans a request from its URL as the app gave it. Undefined means: leave it alone (a Loupe log
 * request, or a URL that does not parse). The correlation headers go to the page's origin, the
 * log server's, and the origins `propagateTo` names (strings are origins; a RegExp is tested
 * against the origin). A `propagateTo` function decides alone, for every URL, same-origin ones
 * included.
 */
export function createOriginPolicy({
  pageOrigin,
  baseUrl,
  logOrigin,
  propagateTo,
  headers,
}: OriginPolicySettings): (url: string) => RequestPlan | undefined {
  const pagePrefix = pageOrigin + '/';
  const targets = ([] as PropagationTarget[])
    .concat(typeof propagateTo == 'function' ? [] : (propagateTo ?? []))
    .map((target) => {
      try {
        return typeof target == 'string' ? new URL(target).origin : target;
      } catch {
        return target;
      }
    });
  return (url) => {
    let href = url;
    let origin = pageOrigin;
    // The common cases need no URL parsing.
    if (!url.startsWith(pagePrefix)) {
      if (PATH_ABSOLUTE.test(url) && baseUrl().startsWith(pagePrefix)) href = pageOrigin + url;
      else {
        try {
          ({ href, origin } = new URL(url, baseUrl()));
        } catch {
          return undefined;
        }
      }
    }
    if (LOG_REQUEST.test(href)) return undefined;
    let propagate = false;
    try {
      propagate =
        typeof propagateTo == 'function'
          ? !!propagateTo(new URL(href))
          : origin == pageOrigin ||
            origin == logOrigin() ||
            targets.some((target) =>
              target instanceof RegExp ? origin.search(target) >= 0 : target == origin,
            );
    } catch {}
    return { url: href, headers: propagate ? headers() : [] };
  };
}
