import type { AgentContext } from '../context';
import { patchMethod } from '../util/patch';
import { headersMissing } from './headersMissing';
import type { RequestPlanner } from './requestPlanner';
import { startReport } from './startReport';

/**
 * Add the correlation headers to the app's `fetch` calls, and report how they end when someone
 * listens. The app's Request and init are never changed: a new init carries the headers.
 */
export function installFetchPatch(context: AgentContext, plan: RequestPlanner): void {
  const { scope } = context;
  context.track(
    'fetch',
    patchMethod(
      scope,
      'fetch',
      (original) =>
        function (this: unknown, ...args: Parameters<typeof fetch>) {
          let report: ReturnType<typeof startReport>;
          try {
            const [input, init] = args;
            const request = input instanceof scope.Request ? input : undefined;
            const planned = plan(String(request ? request.url : input));
            if (planned) {
              const headers = withHeaders(
                init?.headers !== undefined ? init.headers : request?.headers,
                planned.headers,
              );
              if (headers)
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
                    headers,
                  },
                ];
              report = startReport(
                context,
                'fetch',
                String(init?.method ?? request?.method ?? 'GET'),
                planned.url,
              );
            }
          } catch {}
          const result = original.apply(this, args);
          const done = report;
          return done
            ? result.then(
                (response) => (done(response?.status, false), response),
                (error) => {
                  done(0, error?.name == 'AbortError');
                  throw error;
                },
              )
            : result;
        },
    ),
  );
}

/**
 * The app's headers (a Headers, an array of pairs or a record) plus those of `extra` whose names
 * it lacks in any letter case, as pairs; undefined when none is missing or `given` is not headers.
 */
function withHeaders(
  given: unknown,
  extra: Array<[string, string]>,
): Array<[string, string]> | undefined {
  if (given !== undefined && (typeof given != 'object' || !given)) return undefined;
  const pairs = (
    given
      ? Symbol.iterator in given
        ? Array.from(given as Iterable<[string, string]>)
        : Object.entries(given)
      : []
  ) as Array<[string, string]>;
  const missing = headersMissing(
    extra,
    pairs.map(([name]) => String(name).toLowerCase()),
  );
  return missing.length ? pairs.concat(missing) : undefined;
}
