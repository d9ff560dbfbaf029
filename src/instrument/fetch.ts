import type { AgentContext } from '../context';
import { patchMethod } from '../util/patch';
import type { RequestEnded } from './requestOutcome';
import type { RequestPlanner } from './originPolicy';

/**
 * Add the correlation headers to the app's `fetch` calls, and report how they end when someone
 * listens. The app's Request and init are never changed: a new init carries the headers.
 */
export function installFetchPatch(
  context: AgentContext,
  plan: RequestPlanner,
  ended: RequestEnded,
): void {
  const { scope, requestOutcomes } = context;
  context.track(
    'fetch',
    patchMethod(
      scope,
      'fetch',
      (original, active) =>
        function (this: unknown, ...args: Parameters<typeof fetch>) {
          // What a watched request keeps for its end: method, URL, base URL and start.
          let method: unknown;
          let url = '';
          let base = '';
          let began = 0;
          if (active())
            try {
              const [input, init] = args;
              const request = input instanceof scope.Request ? input : undefined;
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
              base = scope.document.baseURI;
              const headers = plan(
                url,
                base,
                pairs?.map((pair) => pair[0]),
              );
              if (headers && requestOutcomes.observed()) began = Date.now();
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
                  if (response?.status)
                    ended('fetch', method, url, base, began, response.status, false);
                  return response;
                },
                (error) => {
                  ended('fetch', method, url, base, began, 0, error?.name == 'AbortError');
                  throw error;
                },
              )
            : result;
        },
    ),
  );
}
