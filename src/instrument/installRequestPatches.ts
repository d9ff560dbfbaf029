import type { AgentContext } from '../context';
import { installFetchPatch } from './fetch';
import { type JQueryAjax, registerJQueryPrefilter } from './jquery';
import { createOriginPolicy } from './originPolicy';
import type { RequestEnded } from './requestOutcome';
import { installXhrPatch } from './xhr';

/**
 * Add the correlation headers to the app's fetch, XMLHttpRequest and jQuery requests, and publish
 * how they end to `context.requestOutcomes`.
 */
export function installRequestPatches(context: AgentContext): void {
  try {
    // With `propagate: false` the patches still see requests end, for failed-request capture.
    const plan = createOriginPolicy(context);
    const ended: RequestEnded = (kind, method, url, base, began, status, aborted, timedOut) => {
      // Below 400 nothing failed: most requests end here, before any work.
      if (!(status && status < 400))
        try {
          context.requestOutcomes.notify({
            kind,
            method: String(method).toUpperCase(),
            url: new URL(url, base).href,
            status,
            duration: Date.now() - began,
            aborted: !timedOut && !!aborted,
            timedOut: !!timedOut,
          });
        } catch {}
    };
    installFetchPatch(context, plan, ended);
    installXhrPatch(context, plan, ended);
    // Without jQuery (or its ajax), registering fails before it changes anything.
    if (context.options.propagate !== false)
      registerJQueryPrefilter(context, (context.scope as unknown as { jQuery: JQueryAjax }).jQuery);
  } catch {}
}
