import { attempt } from './attempt';
import type { Restore } from './patch';

/**
 * One kind of event and whoever listens to it: the source publishes, the listeners subscribe,
 * and neither knows the other. `observed()` lets a source skip work that nobody would see.
 */
export interface Observable<T> {
  subscribe(listener: (value: T) => void): Restore;
  notify(value: T): void;
  /** Whether anyone listens: truthy (their number) when someone does. */
  observed(): unknown;
}

export function createObservable<T>(): Observable<T> {
  const listeners = new Set<(value: T) => void>();
  return {
    subscribe: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    notify(value) {
      for (const listener of listeners) attempt(() => listener(value));
    },
    observed: () => listeners.size,
  };
}
