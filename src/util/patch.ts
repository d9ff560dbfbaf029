import { attempt } from './attempt';

/** Undoes one patch or listener. */
export type Restore = () => void;

/**
 * Replace `target[key]` with `wrap(original, active)` and return a function that puts the
 * original back. Does nothing (returns undefined) when the property is missing or cannot be
 * replaced. When something else wrapped the property after us, restoring leaves their wrapper in
 * place: `active()` turns false, and the wrapper must then only call the original, so their code
 * keeps working. (The wrapper checks it itself: a shared guard function in front of every
 * wrapper would cost each call more than the wrapper's own work.)
 */
export const patchMethod = <T extends object, K extends keyof T>(
  target: T | undefined,
  key: K,
  wrap: (original: T[K], active: () => boolean) => T[K],
): Restore | undefined => {
  const original = target?.[key];
  if (typeof original == 'function') {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    let on = true;
    const wrapped = wrap(original, () => on);
    try {
      // A data property keeps its attributes (it may be read-only but configurable); an accessor
      // is set through its setter. (An own accessor has a getter here: it gave the function.)
      if (descriptor?.get) target![key] = wrapped;
      else
        Object.defineProperty(target, key, {
          configurable: true,
          writable: true,
          ...descriptor,
          value: wrapped,
        });
    } catch {}
    if (target![key] === wrapped)
      return () => {
        on = false;
        attempt(
          () =>
            target![key] === wrapped &&
            (descriptor ? Object.defineProperty(target, key, descriptor) : delete target![key]),
        );
      };
  }
};

/** Add an event listener and return its removal. */
export const listen = (
  target: EventTarget,
  type: string,
  listener: (event: any) => void,
): Restore => {
  target.addEventListener(type, listener);
  return () => target.removeEventListener(type, listener);
};
