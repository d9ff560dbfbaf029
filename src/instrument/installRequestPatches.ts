import type { AgentContext } from '../context';
import { installFetchPatch } from './fetch';
import { type JQueryAjax, registerJQueryPrefilter } from './jquery';
import { createOriginPolicy } from './originPolicy';
import { installXhrPatch } from './xhr';

/**
 * Reports how a watched app request ended, from what its patch kept: the method, the URL as the
 * app gave it, the base URL it was planned against and `Date.now()` at the start. A patch
 * watches requests end only while someone listens (`context.requestFinished`).
 */
export type RequestEnded = (
  kind: 'fetch' | 'xhr',
  method: unknown,
  url: string,
  base: string,
  began: number,
  status: number,
  aborted: boolean,
  timedOut: boolean,
) => void;

/** Add the correlation headers to the app's fetch, XMLHttpRequest and jQuery requests. */
export function installRequestPatches(context: AgentContext): void {
  try {
    // With `propagate: false` the patches still see requests end, for failed-request capture.
    const plan = createOriginPolicy(context);
    const ended: RequestEnded = (kind, method, url, base, began, status, aborted, timedOut) => {
      const finished = context.requestFinished;
      // Below 400 nothing failed: most requests end here, before any work.
      if (finished && !(status && status < 400))
        try {
          finished({
            kind,
            method: String(method).toUpperCase(),
            url: new URL(url, base).href,
            status,
            duration: Date.now() - began,
            aborted,
            timedOut,
          });
        } catch {}
    };
    installFetchPatch(context, plan, ended);
    installXhrPatch(context, plan, ended);
    const { jQuery } = context.scope as { jQuery?: JQueryAjax };
    if (context.options.propagate !== false && jQuery?.ajaxPrefilter)
      registerJQueryPrefilter(context, jQuery);
  } catch {}
}
