/** Storage access that never throws: a blocked, missing or full storage reads as empty. */
export interface SafeStorage {
  get(key: string): string | null;
  /** False when the write failed (quota, blocked). */
  set(key: string, value: string): boolean;
  remove(key: string): void;
  /** Every key, for finding entries other pages left behind. */
  keys(): string[];
}

/** Wrap `window[name]`, or undefined when reading it throws (SecurityError) or it is absent. */
export function openStorage(
  scope: object | undefined,
  name: 'localStorage' | 'sessionStorage',
): SafeStorage | undefined {
  let storage: Storage | undefined;
  try {
    storage = (scope as Record<string, Storage | undefined> | undefined)?.[name];
    if (!storage) return undefined;
  } catch {
    return undefined;
  }
  const area = storage;
  return {
    get(key) {
      try {
        return area.getItem(key);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        area.setItem(key, value);
        return true;
      } catch {
        return false;
      }
    },
    remove(key) {
      try {
        area.removeItem(key);
      } catch {}
    },
    keys() {
      const keys: string[] = [];
      try {
        for (let index = 0; index < area.length; index++) {
          const key = area.key(index);
          if (key !== null) keys.push(key);
        }
      } catch {}
      return keys;
    },
  };
}
