import type { AgentContext } from '../context';
import { createRequestPlanner } from './requestPlanner';

/** The part of jQuery (1.5 and later) the prefilter uses. */
export interface JQueryAjax {
  ajaxPrefilter(
    prefilter: (
      options: { url?: unknown; dataTypes?: unknown },
      originalOptions: unknown,
      jqXHR: { setRequestHeader(name: string, value: string): unknown },
    ) => void,
  ): void;
}

/**
 * Give `jQuery.ajax` (and `$.get`, `$.getJSON`, `$.post`) the correlation headers through an ajax
 * prefilter. jQuery joins them with the app's headers case-insensitively, the app's value winning,
 * and its XMLHttpRequest transport sets each once. Script and JSONP requests may go out as a
 * script tag, which cannot carry headers: they are left alone. Call it while the agent is
 * installed; uninstall turns the prefilter off and a new install back on, never registering two.
 */
export function registerJQueryPrefilter(context: AgentContext, jQuery: JQueryAjax): void {
  try {
    const prefilters = (context.jQueryPrefilters ??= new WeakMap());
    const prefilter = prefilters.get(jQuery) ?? { live: false };
    if (!prefilters.has(jQuery)) {
      const plan = createRequestPlanner(context);
      prefilters.set(jQuery, prefilter);
      jQuery.ajaxPrefilter((options, _, jqXHR) => {
        try {
          if (prefilter.live && !/script|jsonp/.test(String(options.dataTypes)))
            for (const [name, value] of plan(String(options.url))?.headers ?? [])
              jqXHR.setRequestHeader(name, value);
        } catch {}
      });
    }
    prefilter.live = true;
    context.track('jQuery', () => (prefilter.live = false));
  } catch {}
}
