import type { AgentContext } from '../context';
import { installFetchPatch } from './fetch';
import { type JQueryAjax, registerJQueryPrefilter } from './jquery';
import { createRequestPlanner } from './requestPlanner';
import { installXhrPatch } from './xhr';

/** Add the correlation headers to the app's fetch, XMLHttpRequest and jQuery requests. */
export function installRequestPatches(context: AgentContext): void {
  try {
    const plan = createRequestPlanner(context);
    installFetchPatch(context, plan);
    installXhrPatch(context, plan);
    const jQuery = (context.scope as { jQuery?: JQueryAjax }).jQuery;
    if (jQuery?.ajaxPrefilter) registerJQueryPrefilter(context, jQuery);
  } catch {}
}
