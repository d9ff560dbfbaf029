/** Undoes one patch or listener. */
export type Restore = () => void;

/**
 * Replace `target[key]` with `wrap(original)` and return a function that puts the original back.
 * Does nothing (returns undefined) when the property is missing or cannot be replaced. When
 * something else wrapped the property after us, restoring leaves their wrapper in place and turns
 * ours into a pass-through instead, so their code keeps working.
 */
export function patchMethod<T extends object, K extends keyof T>(
  target: T | undefined,
  key: K,
  wrap: (original: T[K]) => T[K],
): Restore | undefined {
  if (!target) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  const original = target[key];
  if (typeof original !== 'function') return undefined;
  let active = true;
  const wrapped = wrap(original);
  // The wrapper consults `active`, so a wrapper stuck under someone else's becomes a pass-through.
  const guarded = function (this: unknown, ...args: unknown[]) {
    return (
      active
        ? (wrapped as (...a: unknown[]) => unknown)
        : (original as (...a: unknown[]) => unknown)
    ).apply(this, args);
  } as T[K];
  try {
    if (descriptor && !descriptor.writable && !descriptor.set && !descriptor.configurable)
      return undefined;
    if (descriptor && 'value' in descriptor) {
      Object.defineProperty(target, key, { ...descriptor, value: guarded });
    } else {
      target[key] = guarded;
    }
  } catch {
    return undefined;
  }
  if (target[key] !== guarded) return undefined;
  return () => {
    active = false;
    try {
      if (target[key] !== guarded) return;
      if (descriptor) Object.defineProperty(target, key, descriptor);
      else delete target[key];
    } catch {}
  };
}

/** Add an event listener and return its removal. */
export function listen(
  target: EventTarget | undefined,
  type: string,
  listener: (event: any) => void,
  options?: AddEventListenerOptions,
): Restore {
  target?.addEventListener(type, listener, options);
  return () => target?.removeEventListener(type, listener, options);
}
