import type { Restore } from './patch';

/**
 * One kind of event and whoever listens to it: the source publishes, the listeners subscribe,
 * and neither knows the other. `observed()` lets a source skip work that nobody would see.
 */
export interface Observable<T> {
  subscribe(listener: (value: T) => void): Restore;
  notify(value: T): void;
  observed(): boolean;
}

export function createObservable<T>(): Observable<T> {
  let listeners: Array<(value: T) => void> = [];
  return {
    subscribe(listener) {
      listeners = listeners.concat(listener);
      return () => {
        listeners = listeners.filter((other) => other != listener);
      };
    },
    notify(value) {
      for (const listener of listeners)
        try {
          listener(value);
        } catch {}
    },
    observed: () => listeners.length > 0,
  };
}
