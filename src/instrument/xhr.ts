import type { AgentContext } from '../context';
import { patchMethod } from '../util/patch';
import { headersMissing } from './headersMissing';
import type { RequestPlan } from './originPolicy';
import type { RequestPlanner } from './requestPlanner';
import { startReport } from './startReport';

/** An XMLHttpRequest since its last `open`: its plan, method and the header names the app set. */
interface Opened {
  plan: RequestPlan;
  method: string;
  names: string[];
  sent?: boolean;
}

/**
 * Add the correlation headers to the app's XMLHttpRequests, once per send, and report how they
 * end when someone listens. `setRequestHeader` joins repeated values, so a header the app (or
 * jQuery) set is not added again.
 */
export function installXhrPatch(context: AgentContext, plan: RequestPlanner): void {
  const prototype = context.scope.XMLHttpRequest?.prototype;
  if (!prototype) return;
  const opened = new WeakMap<XMLHttpRequest, Opened>();
  const setHeader = prototype.setRequestHeader;
  const restores = [
    patchMethod(
      prototype,
      'open',
      (original) =>
        function (this: XMLHttpRequest, ...args: Parameters<XMLHttpRequest['open']>) {
          try {
            // Before the call: a readystatechange listener may set headers from inside open().
            const planned = plan(String(args[1]));
            if (planned) opened.set(this, { plan: planned, method: String(args[0]), names: [] });
            else opened.delete(this);
          } catch {}
          return original.apply(this, args);
        } as XMLHttpRequest['open'],
    ),
    patchMethod(
      prototype,
      'setRequestHeader',
      (original) =>
        function (this: XMLHttpRequest, ...args: Parameters<XMLHttpRequest['setRequestHeader']>) {
          const result = original.apply(this, args);
          try {
            opened.get(this)?.names.push(String(args[0]).toLowerCase());
          } catch {}
          return result;
        },
    ),
    patchMethod(
      prototype,
      'send',
      (original) =>
        function (this: XMLHttpRequest, ...args: Parameters<XMLHttpRequest['send']>) {
          const state = opened.get(this);
          try {
            if (state && !state.sent) {
              state.sent = true;
              for (const [name, value] of headersMissing(state.plan.headers, state.names))
                setHeader.call(this, name, value);
              const report = startReport(context, 'xhr', state.method, state.plan.url);
              // A new open() ends the request without any event: the next request's loadend then
              // only removes these listeners.
              let aborted = false;
              const onEvent = (event: Event) => {
                if (event.type == 'abort') aborted = true;
                else {
                  this.removeEventListener('abort', onEvent);
                  if (opened.get(this) == state) report?.(this.status, aborted);
                }
              };
              if (report) {
                this.addEventListener('abort', onEvent);
                this.addEventListener('loadend', onEvent, { once: true });
              }
            }
          } catch {}
          return original.apply(this, args);
        },
    ),
  ];
  context.track(
    'XMLHttpRequest',
    restores.some(Boolean) ? () => restores.forEach((restore) => restore?.()) : undefined,
  );
}
