import type { AgentContext } from '../context';
import { attempt } from '../util/attempt';

/**
 * The correlation headers for a request, from its URL as the app gave it, the base URL it is
 * resolved against and the names of the headers the app set (or 0): none when the URL does not
 * qualify, nor those the app set. Undefined means: leave the request alone. The array may be shared:
 * callers must not change it.
 */
export type RequestPlanner = (
  url: string,
  base: string,
  given?: unknown[] | 0,
) => ReadonlyArray<[string, string]> | undefined;

/**
 * Whether a header name the app set may be one of the agent's (`loupe-agent-sessionId`,
 * `LoupeSessionId`), from its length alone: the planner compares the names themselves. A patch
 * that records only these names keeps nothing for most requests.
 */
export const mayBeOurs = ({ length }: string) => length == 21 || length == 14;

/** What the policy reads: the page, the options, the log server's origin and the session ids. */
export type PolicyContext = Pick<
  AgentContext,
  'scope' | 'options' | 'logOrigin' | 'correlationHeaders'
>;

/**
 * Plans a request from its URL as the app gave it. Undefined means: leave it alone (a Loupe log
 * request, or a URL that does not parse). The correlation headers go to the page's origin, the
 * log server's, and the origins `propagateTo` names (strings are origins; a RegExp is tested
 * against the origin). A `propagateTo` function decides alone, for every URL, same-origin ones
 * included. A header the app set, in any letter case, is left to the app. With `propagate: false`
 * no request gets the headers, yet log requests are still told apart. The base URL, the log
 * server's origin and the session ids are read per request.
 */
export const createOriginPolicy = ({
  scope,
  options: { propagateTo, propagate },
  logOrigin,
  correlationHeaders,
}: PolicyContext): RequestPlanner => {
  const pageOrigin = scope.location.origin;
  const pagePrefix = pageOrigin + '/';
  // URLs whose origin shows without parsing them (new URL() costs more than all the rest):
  // - "/path", but not "//host" nor "/\host" (browsers read a backslash as a slash and drop tabs
  //   and newlines: https://url.spec.whatwg.org/#concept-basic-url-parser);
  // - a path, query or fragment with no scheme (no colon at all) that starts with no slash,
  //   backslash, space or control character (the parser strips those at the start);
  // - http(s) with a lowercase host name that cannot be an IP address and no port: the origin is
  //   what the URL spells.
  const samePath = /^(?:\/(?![/\\\t\n\r])|(?![/\\\0- ])[^:\\\t\n\r]*$)/;
  const plainOrigin = /^https?:\/\/(?:[a-z\d-]+\.)*[a-z][a-z\d-]*(?=[/?#]|$)/;
  // A Loupe log request: the agent's own, another agent's or an older agent's on the page.
  const logRequest = /(?:^|\/)loupe\/log(?:[?#]|$)/;
  // Strings become origins once here; one that is not a URL matches nothing.
  const targets = ([] as unknown[])
    .concat(propagateTo ?? [])
    .map((target) => (typeof target == 'string' ? attempt(() => new URL(target).origin) : target));
  const none: Array<[string, string]> = [];
  // Whether the app set a header, in any letter case. Most names differ in length, which needs no
  // new strings.
  const taken = (given: unknown[], [name]: [string, string]) =>
    given.some(
      (set) => String(set).length == name.length && String(set).toLowerCase() == name.toLowerCase(),
    );
  return (url, base, given) => {
    let parsed: URL | undefined;
    let origin =
      url.startsWith(pagePrefix) || (base.startsWith(pagePrefix) && samePath.test(url))
        ? pageOrigin
        : plainOrigin.exec(url)?.[0];
    let qualifies: unknown;
    if (!origin)
      try {
        origin = (parsed = new URL(url, base)).origin;
      } catch {
        return;
      }
    const href = parsed ? parsed.href : url;
    if (href.includes('loupe/log') && logRequest.test(href)) return;
    try {
      qualifies =
        propagate !== false &&
        (typeof propagateTo == 'function'
          ? propagateTo(new URL(url, base))
          : origin == pageOrigin ||
            origin == logOrigin() ||
            targets.some((target) =>
              // search() ignores the lastIndex of a global RegExp.
              target instanceof RegExp ? origin.search(target) >= 0 : target == origin,
            ));
    } catch {}
    const ours = correlationHeaders();
    return !qualifies
      ? none
      : given && ours.some((header) => taken(given, header))
        ? ours.filter((header) => !taken(given, header))
        : ours;
  };
};
