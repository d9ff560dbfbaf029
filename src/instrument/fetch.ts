import type { AgentContext } from '../context';
import { patchMethod } from '../util/patch';
import type { Report, StartRequest } from './installRequestPatches';

/**
 * Add the correlation headers to the app's `fetch` calls, and report how they end when someone
 * listens. The app's Request and init are never changed: a new init carries the headers.
 */
export function installFetchPatch(context: AgentContext, start: StartRequest): void {
  const { scope } = context;
  context.track(
    'fetch',
    patchMethod(
      scope,
      'fetch',
      (original, active) =>
        function (this: unknown, ...args: Parameters<typeof fetch>) {
          let report: Report | undefined;
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
              const started = start(
                'fetch',
                init?.method ?? request?.method ?? 'GET',
                String(request ? request.url : input),
                pairs?.map((pair) => pair[0]),
              );
              const headers = started[0];
              report = started[1];
              if (headers.length)
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
          return report
            ? result.then(
                (response) => {
                  // Only opaque responses (mode 'no-cors', redirect 'manual') resolve with status
                  // 0: their real status is hidden, so there is nothing to report.
                  if (response?.status) report!(response.status, false);
                  return response;
                },
                (error) => {
                  report!(0, error?.name == 'AbortError');
                  throw error;
                },
              )
            : result;
        },
    ),
  );
}
