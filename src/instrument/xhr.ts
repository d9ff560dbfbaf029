import type { AgentContext } from '../context';
import { patchMethod } from '../util/patch';
import type { Report, StartRequest } from './installRequestPatches';

/**
 * An XMLHttpRequest since its last `open`: its method and URL, the headers the app set, whether
 * it was sent, and the report to end when it ends.
 */
type Opened = [
  method: unknown,
  url: unknown,
  given?: unknown[],
  sent?: boolean,
  report?: Report | undefined,
];

/**
 * Add the correlation headers to the app's XMLHttpRequests, once per send, and report how they
 * end when someone listens. `setRequestHeader` joins repeated values, so a header the app (or
 * jQuery) set is not added again.
 */
export function installXhrPatch(context: AgentContext, start: StartRequest): void {
  const prototype = context.scope.XMLHttpRequest?.prototype;
  // Each request carries its state under a key of this install's own. A WeakMap would keep it out
  // of sight, but costs several times more per request, mostly in garbage collection.
  const key = Symbol('loupe-agent');
  type Request = XMLHttpRequest & { [key]?: Opened };
  let setHeader: (name: string, value: string) => void;
  let active: () => boolean;
  const patch = (
    name: 'open' | 'setRequestHeader' | 'send',
    wrap: (original: (...args: any[]) => any) => (this: Request, ...args: any[]) => any,
  ) =>
    context.track(
      name == 'send' ? 'XMLHttpRequest' : '',
      // The three are restored together: one `active` serves them all. Without state from
      // open(), setRequestHeader and send do nothing of their own.
      patchMethod(prototype, name, (original, isActive) => ((active = isActive), wrap(original))),
    );

  patch(
    'open',
    (original) =>
      function (method, url) {
        // Before the call: a readystatechange listener may set headers from inside open(). A
        // request the app made non-extensible stays without state, so it is left alone.
        if (active())
          try {
            this[key] = [method, url];
          } catch {}
        // eslint-disable-next-line prefer-rest-params
        return original.apply(this, arguments as any);
      },
  );
  patch('setRequestHeader', (original) => {
    // The agent's own headers go to the method below this patch.
    setHeader = original;
    return function (name) {
      const state = this[key];
      if (state) (state[2] ||= []).push(name);
      // eslint-disable-next-line prefer-rest-params
      return original.apply(this, arguments as any);
    };
  });
  // One listener serves every request (adding it again to the same request adds nothing). A new
  // open() ends the request in flight without any event, and replaces its state: the next
  // loadend then reports the new request only.
  function onEnd(this: Request) {
    const state = this[key];
    const report = state?.[4];
    if (report) {
      state[4] = undefined;
      // abort() leaves the request UNSENT (0) once its loadend is over; a load, an error or a
      // timeout leaves it DONE.
      queueMicrotask(() => this[key] == state && report(this.status, !this.readyState));
    }
  }
  patch(
    'send',
    (original) =>
      function () {
        const state = this[key];
        try {
          if (state && !state[3] && active()) {
            state[3] = true;
            const started = start('xhr', state[0], String(state[1]), state[2]);
            const report = started[1];
            for (const [name, value] of started[0]) setHeader.call(this, name, value);
            if (report) {
              state[4] = report;
              this.addEventListener('loadend', onEnd);
            }
          }
        } catch {}
        // eslint-disable-next-line prefer-rest-params
        return original.apply(this, arguments as any);
      },
  );
}
