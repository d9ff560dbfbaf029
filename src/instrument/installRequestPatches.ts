import type { AgentContext } from '../context';
import { installFetchPatch } from './fetch';
import { type JQueryAjax, registerJQueryPrefilter } from './jquery';
import { createOriginPolicy } from './originPolicy';
import { installXhrPatch } from './xhr';

/** Ends the report of an app request: its HTTP status (0: network error), whether the app aborted. */
export type Report = (status: number, aborted: boolean) => void;

/**
 * Starts an app request from its method, its URL as the app gave it and the headers the app set
 * (their names): the headers to add, and the report to end when the request ends. No
 * report when nobody listens (then the patches track nothing) or the request is left alone.
 */
export type StartRequest = (
  kind: 'fetch' | 'xhr',
  method: unknown,
  url: string,
  given?: unknown[],
) => [headers: ReadonlyArray<[string, string]>, report?: Report | undefined];

/** Add the correlation headers to the app's fetch, XMLHttpRequest and jQuery requests. */
export function installRequestPatches(context: AgentContext): void {
  try {
    const plan = createOriginPolicy(context);
    // With `propagate: false` the patches still see requests end, for failed-request capture.
    const addHeaders = context.options.propagate !== false;
    const { document } = context.scope;
    const none: ReadonlyArray<[string, string]> = [];
    const start: StartRequest = (kind, method, url, given) => {
      const base = document.baseURI;
      const headers = plan(url, base, given);
      const finished = context.requestFinished;
      const began = finished && Date.now();
      return headers
        ? [
            addHeaders ? headers : none,
            finished &&
              ((status, aborted) => {
                // Below 400 nothing failed: most requests end here, before any work.
                if (status && status < 400) return;
                try {
                  finished({
                    kind,
                    method: String(method).toUpperCase(),
                    url: new URL(url, base).href,
                    status,
                    duration: Date.now() - (began as number),
                    aborted,
                  });
                } catch {}
              }),
          ]
        : [none];
    };
    installFetchPatch(context, start);
    installXhrPatch(context, start);
    const { jQuery } = context.scope as { jQuery?: JQueryAjax };
    if (addHeaders && jQuery?.ajaxPrefilter) registerJQueryPrefilter(context, jQuery);
  } catch {}
}
