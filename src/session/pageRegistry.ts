import type { Agent } from '../types';

/**
 * What every copy of the agent in one page or process shares (the drop-in script, one or more
 * bundles): the installed agent with its options as text, the id of the agent session that owns
 * the tab's stored session, and whether the no-window notice was printed. It lives on
 * `globalThis` under a registered symbol, so that copies from different bundles find it. Every
 * build must spell its property names alike: none may be in the minifier's list of mangled
 * properties (rollup.config.mjs), which holds `options`.
 */
export interface PageRegistry {
  agent?: Agent | undefined;
  settings?: string;
  session?: string | undefined;
  told?: boolean;
}

const root: any = globalThis;
const KEY = Symbol.for('loupe-agent');

export const pageRegistry = (): PageRegistry => (root[KEY] ||= {});
