import type { Agent } from './types';

/** The jQuery the plugin attaches to: any jQuery 1.5 or later. */
export interface JQueryWithLoupe {
  ajaxPrefilter: (...args: any[]) => unknown;
  loupe?: Agent;
}

/**
 * Attach an agent to a jQuery: `$.loupe` becomes the agent, and `$.ajax`, `$.get`, `$.getJSON`
 * and `$.post` carry the correlation headers through a prefilter. For a jQuery loaded after the
 * agent, or each copy when a page carries several. Without `agent`, the page's `window.loupe`
 * (the drop-in script's agent) is used.
 *
 * @example
 * import { install } from 'loupe-agent';
 * import { attachLoupe } from 'loupe-agent/jquery';
 * attachLoupe(jQuery, install());
 * $.loupe.information('Cart', 'Opened', '');
 */
export function attachLoupe(jQuery: JQueryWithLoupe, agent?: Agent): Agent | undefined {
  const found =
    agent ?? (typeof window == 'object' ? (window as { loupe?: Agent }).loupe : undefined);
  if (found?.registerJQuery) {
    found.registerJQuery(jQuery);
    jQuery.loupe = found;
  }
  return found;
}
