import type { AgentContext } from '../context';
import { patchMethod } from '../util/patch';
import type { RequestEnded } from './requestOutcome';
import type { RequestPlanner } from './originPolicy';

/**
 * Add the correlation headers to the app's `fetch` calls, and report how they end when someone
 * listens. The app's Request and init are never changed: a new init carries the headers. An
 * abort the app asked for is reported as aborted, a timeout signal's abort as timed out.
 */
export const installFetchPatch = (
  context: AgentContext,
  plan: RequestPlanner,
  ended: RequestEnded,
): void =>
  context.track(
    'fetch',
    patchMethod(
      context.scope,
      'fetch',
      (original, active) =>
        function (this: unknown, ...args: Parameters<typeof fetch>) {
          // What a watched request keeps for its end: method, URL, base URL, start and signal.
          let method: unknown;
          let url: string;
          let base: string;
          let began: number | undefined;
          let signal: AbortSignal | null | undefined;
          if (active())
            try {
              let [input, init] = args;
              // fetch reads its init as the Request constructor does: members the init inherits
              // and getters count, read on the init itself. A copy would lose them, so an init
              // that is not a plain object becomes a Request here, read once, by the browser.
              if (init && Object.getPrototypeOf(init) != Object.prototype) {
                args = [(input = new context.scope.Request(input, init))];
                init = undefined;
              }
              const request = input instanceof context.scope.Request ? input : undefined;
              // The headers fetch will use: a Headers, an array of pairs or a record. `in` throws
              // for anything else, which fetch rejects too: the call is then left alone.
              const given: any = init?.headers !== undefined ? init.headers : request?.headers;
              const pairs: any[] | undefined =
                given === undefined
                  ? given
                  : Symbol.iterator in given
                    ? [...given]
                    : Object.entries(given);
              method = init?.method ?? request?.method ?? 'GET';
              url = String(request ? request.url : input);
              const headers = plan(
                url,
                (base = context.scope.document.baseURI),
                pairs?.map((pair) => pair[0]),
              );
              if (headers && context.requestOutcomes.observed()) {
                began = Date.now();
                signal = init?.signal ?? request?.signal;
              }
              if (headers?.length)
                args = [
                  input,
                  {
                    // A Request given a non-empty init forgets its referrer: keep it.
                    ...(request &&
                      !init && {
                        referrer: request.referrer,
                        referrerPolicy: request.referrerPolicy,
                      }),
                    ...init,
                    headers: (pairs || []).concat(headers),
                  },
                ];
            } catch {}
          const result = original.apply(this, args);
          return began
            ? result.then(
                (response) => {
                  // Only opaque responses (mode 'no-cors', redirect 'manual') resolve with status
                  // 0: their real status is hidden, so there is nothing to report.
                  if (response?.status) ended('fetch', method, url, base, began, response.status);
                  return response;
                },
                (error) => {
                  try {
                    // An abort rejects with the reason the app gave, whatever it is (WebKit: with
                    // an AbortError): the signal tells. AbortSignal.timeout() aborts with a
                    // TimeoutError. (A page that unloads aborts its requests without any signal.)
                    const aborted = signal?.aborted;
                    ended(
                      'fetch',
                      method,
                      url,
                      base,
                      began,
                      0,
                      aborted || error?.name == 'AbortError',
                      aborted && signal!.reason?.name == 'TimeoutError',
                    );
                  } catch {}
                  throw error;
                },
              )
            : result;
        },
    ),
  );
