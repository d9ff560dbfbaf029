import type { AgentContext } from '../context';
import { patchMethod } from '../util/patch';
import type { StartRequest } from './installRequestPatches';

/**
 * An XMLHttpRequest since its last `open`: its method and URL, the headers the app set, and
 * whether it was sent.
 */
type Opened = [method: unknown, url: unknown, given: unknown[][], sent?: boolean];

/**
 * Add the correlation headers to the app's XMLHttpRequests, once per send, and report how they
 * end when someone listens. `setRequestHeader` joins repeated values, so a header the app (or
 * jQuery) set is not added again.
 */
export function installXhrPatch(context: AgentContext, start: StartRequest): void {
  const prototype = context.scope.XMLHttpRequest?.prototype;
  const opened = new WeakMap<XMLHttpRequest, Opened>();
  let setHeader: (name: string, value: string) => void;
  const patch = (
    key: 'open' | 'setRequestHeader' | 'send',
    wrap: (original: (...args: any[]) => any) => (this: XMLHttpRequest, ...args: any[]) => any,
  ) => context.track(key == 'send' ? 'XMLHttpRequest' : '', patchMethod(prototype, key, wrap));

  patch(
    'open',
    (original) =>
      function (...args) {
        // Before the call: a readystatechange listener may set headers from inside open().
        opened.set(this, [args[0], args[1], []]);
        return original.apply(this, args);
      },
  );
  patch('setRequestHeader', (original) => {
    // The agent's own headers go to the method below this patch.
    setHeader = original;
    return function (...args) {
      opened.get(this)?.[2].push(args);
      return original.apply(this, args);
    };
  });
  patch(
    'send',
    (original) =>
      function (...args) {
        const state = opened.get(this);
        try {
          if (state && !state[3]) {
            state[3] = true;
            const [headers, report] = start('xhr', state[0], String(state[1]), state[2]);
            for (const [name, value] of headers) setHeader.call(this, name, value);
            // A new open() ends the request in flight without any event: the next request's
            // loadend then only removes this listener.
            if (report)
              this.addEventListener('loadend', function onEnd(this: XMLHttpRequest) {
                this.removeEventListener('loadend', onEnd);
                // abort() leaves the request UNSENT (0) once its loadend is over; a load, an
                // error or a timeout leaves it DONE.
                queueMicrotask(
                  () => opened.get(this) == state && report(this.status, !this.readyState),
                );
              });
          }
        } catch {}
        return original.apply(this, args);
      },
  );
}
