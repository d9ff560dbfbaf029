import type { Scope } from '../context';
import { attempt } from '../util/attempt';
import { type Restore, listen } from '../util/patch';

/**
 * What the page does that the agent reacts to: `hidden` and `visible` (visibilitychange; hidden
 * may be the last moment a mobile page runs), `exit` (pagehide: unload, or entry into the
 * back/forward cache) and `restore` (pageshow from the back/forward cache).
 */
export type PageEvent = 'hidden' | 'visible' | 'exit' | 'restore';

export type PageListener = (event: PageEvent) => void;

/**
 * The one source of page-lifecycle events for an agent: each event reaches the listeners in the
 * order given, each guarded, so that their order is written in one place. Returns the removal of
 * the page listeners.
 */
export function observePageLifecycle(scope: Scope, listeners: PageListener[]): Restore {
  const emit = (event: PageEvent) => listeners.map((listener) => attempt(() => listener(event)));
  const document = scope.document;
  const stops = [
    listen(document, 'visibilitychange', () => emit(document.hidden ? 'hidden' : 'visible')),
    listen(scope, 'pagehide', () => emit('exit')),
    listen(scope, 'pageshow', (event: PageTransitionEvent) => event.persisted && emit('restore')),
  ];
  return () => stops.map(attempt);
}
