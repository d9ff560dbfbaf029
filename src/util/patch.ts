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
  const original = target?.[key] as any;
  if (typeof original != 'function') return;
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  const wrapped = wrap(original) as any;
  let active = true;
  // The wrapper consults `active`, so a wrapper stuck under someone else's becomes a pass-through.
  const guarded = function (this: unknown) {
    // eslint-disable-next-line prefer-rest-params
    return (active ? wrapped : original).apply(this, arguments);
  } as T[K];
  try {
    // A data property keeps its attributes (it may be read-only but configurable); an accessor
    // is set through its setter.
    if (descriptor?.get || descriptor?.set) target![key] = guarded;
    else
      Object.defineProperty(target, key, {
        configurable: true,
        writable: true,
        ...descriptor,
        value: guarded,
      });
  } catch {}
  if (target![key] === guarded) {
    return () => {
      active = false;
      try {
        if (target![key] === guarded) {
          if (descriptor) Object.defineProperty(target, key, descriptor);
          else delete target![key];
        }
      } catch {}
    };
  }
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
