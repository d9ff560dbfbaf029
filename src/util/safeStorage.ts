/** Storage access that never throws: a blocked, missing or full storage reads as empty. */
export interface SafeStorage {
  get(key: string): string | null;
  /** False when the write failed (quota, blocked). */
  set(key: string, value: string): boolean;
  remove(key: string): void;
  /** Every key, for finding entries other pages left behind. */
  keys(): string[];
}

const attempt = <T>(run: () => T, fallback: T): T => {
  try {
    return run();
  } catch {
    return fallback;
  }
};

/** Wrap `window[name]`, or undefined when reading it throws (SecurityError) or it is absent. */
export function openStorage(
  scope: any,
  name: 'localStorage' | 'sessionStorage',
): SafeStorage | undefined {
  const area: Storage | undefined = attempt(() => scope?.[name], undefined);
  return (
    area && {
      get: (key) => attempt(() => area.getItem(key), null),
      set: (key, value) => attempt(() => (area.setItem(key, value), true), false),
      remove: (key) => attempt(() => area.removeItem(key), undefined),
      keys: () =>
        attempt(
          () => Array.from({ length: area.length }, (_, index) => area.key(index) as string),
          [],
        ),
    }
  );
}
