import { attempt } from './attempt';

/** Storage access that never throws: a blocked, missing or full storage reads as empty. */
export interface SafeStorage {
  get(key: string): string | null | undefined;
  /** Falsy when the write failed (quota, blocked). */
  set(key: string, value: string): boolean | undefined;
  remove(key: string): void;
  /** Every key, for finding entries other pages left behind. */
  keys(): string[];
}

/** Wrap `scope[name]`, or undefined when there is no scope, reading it throws (SecurityError) or it is absent. */
export const openStorage = (
  scope: any,
  name: 'localStorage' | 'sessionStorage',
): SafeStorage | undefined => {
  const area: Storage | undefined = attempt(() => scope[name]);
  return (
    area && {
      get: (key) => attempt(() => area.getItem(key)),
      set: (key, value) => attempt(() => (area.setItem(key, value), true)),
      remove: (key) => attempt(() => area.removeItem(key)),
      keys: () =>
        attempt(() =>
          Array.from({ length: area.length }, (_, index) => area.key(index) as string),
        ) || [],
    }
  );
};
