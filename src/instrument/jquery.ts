import type { AgentContext } from '../context';
import { attempt } from '../util/attempt';
import { createOriginPolicy } from './originPolicy';

/** The part of jQuery (1.5 and later) the prefilter uses. */
export interface JQueryAjax {
  ajaxPrefilter(
    prefilter: (
      options: { url?: unknown; dataTypes?: unknown; timeout?: unknown; xhr?: unknown },
      originalOptions: unknown,
      jqXHR: { setRequestHeader(name: string, value: string): unknown; abort?: unknown },
    ) => void,
  ): void;
}

/**
 * Give `jQuery.ajax` (and `$.get`, `$.getJSON`, `$.post`) the correlation headers through an ajax
 * prefilter. jQuery joins them with the app's headers case-insensitively, the app's value winning,
 * and its XMLHttpRequest transport sets each once. Script and JSONP requests may go out as a
 * script tag, which cannot carry headers: they are left alone. jQuery ends a request that
 * outlives its `timeout` option with `jqXHR.abort('timeout')`: the prefilter tells the
 * XMLHttpRequest patch, which reports it as timed out rather than aborted. Call it while the agent
 * is installed; uninstall turns the prefilter off and a new install back on, never registering
 * two.
 */
export const registerJQueryPrefilter = (context: AgentContext, jQuery: JQueryAjax): void => {
  try {
    const live = (context.jQueryPrefilters ??= new WeakMap());
    const plan = createOriginPolicy(context);
    if (!live.has(jQuery))
      jQuery.ajaxPrefilter((options, _, jqXHR) => {
        try {
          // jQuery has made `url` a string and `dataTypes` an array by now.
          if (live.get(jQuery) && !/script|jsonp/.test(options.dataTypes as string)) {
            for (const [name, value] of plan(
              options.url as string,
              context.scope.document.baseURI,
            ) ?? [])
              jqXHR.setRequestHeader(name, value);
            const make = (options as any).xhr;
            const abort = (jqXHR as any).abort;
            if ((options.timeout as number) > 0 && make) {
              // The XMLHttpRequest jQuery makes for this request (with the settings as `this`).
              let xhr: any;
              options.xhr = () => (xhr = make.call(options));
              jqXHR.abort = (text: unknown) => {
                if (text == 'timeout') attempt(() => (xhr[context.xhrStateKey!][6] = 1));
                return abort.call(jqXHR, text);
              };
            }
          }
        } catch {}
      });
    live.set(jQuery, true);
    context.track('jQuery', () => live.set(jQuery, false));
  } catch {}
};
