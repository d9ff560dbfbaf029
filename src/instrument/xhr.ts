import type { AgentContext } from '../context';
import { patchMethod } from '../util/patch';
import type { RequestEnded } from './requestOutcome';
import { mayBeOurs, type RequestPlanner } from './originPolicy';

/**
 * An XMLHttpRequest since its last `open`: its method and URL, the names of the headers the app
 * set that may be the agent's, the install it was opened under until it is sent, the base URL it
 * was sent from, and while it is watched, when it started and whether it ran out of time (its own
 * `timeout`, or jQuery's, which aborts it). Made whole in open(), so that it never changes shape.
 */
export type Opened = [
  method: unknown,
  url: string,
  given: string[] | 0,
  install: (() => boolean) | 0,
  base: string,
  began: number,
  timedOut: 0 | 1,
];

/**
 * Add the correlation headers to the app's XMLHttpRequests, once per send, and report how they
 * end when someone listens. `setRequestHeader` joins repeated values, so a header the app (or
 * jQuery) set is not added again.
 */
export const installXhrPatch = (
  context: AgentContext,
  plan: RequestPlanner,
  ended: RequestEnded,
): void => {
  // Each request carries its state under the agent's own key. A WeakMap would keep it out of
  // sight, but costs several times more per request, mostly in garbage collection. One key serves
  // every install, so that the property sites here keep seeing one key; the state says which
  // install saw the open(). (Opened under an earlier install, the request may have been opened
  // again since, with no patch to see it: it is left alone.)
  const key = (context.xhrStateKey ??= Symbol('loupe-agent'));
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
      patchMethod(
        context.scope.XMLHttpRequest?.prototype,
        name,
        (original, isActive) => ((active = isActive), wrap(original)),
      ),
    );

  patch(
    'open',
    (original) =>
      function (method, url) {
        // Before the call: a readystatechange listener may set headers from inside open(). A
        // request the app made non-extensible stays without state, so it is left alone.
        if (active())
          try {
            this[key] = [method, String(url), 0, active, '', 0, 0];
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
      if (state && mayBeOurs(String(name))) (state[2] ||= []).push(name);
      // eslint-disable-next-line prefer-rest-params
      return original.apply(this, arguments as any);
    };
  });
  // One listener serves every request (adding it again to the same request adds nothing). A new
  // open() ends the request in flight without any event, and replaces its state: the next
  // loadend then reports the new request only. The timeout event comes before loadend.
  function onEnd(this: Request, event: Event) {
    const state = this[key];
    const began = state?.[5];
    // Only a watched request gets the listeners; it is still watched until its loadend.
    if (began)
      if (event.type == 'timeout') state![6] = 1;
      else {
        state![5] = 0;
        // abort() leaves the request UNSENT (0) once its loadend is over; a load, an error or a
        // timeout leaves it DONE.
        queueMicrotask(
          () =>
            this[key] == state &&
            ended(
              'xhr',
              state![0],
              state![1],
              state![4],
              began,
              this.status,
              !this.readyState,
              state![6],
            ),
        );
      }
  }
  patch(
    'send',
    (original) =>
      function () {
        const state = this[key];
        try {
          if (state?.[3] == active && active()) {
            state[3] = 0;
            const headers = plan(state[1], (state[4] = context.scope.document.baseURI), state[2]);
            if (headers) {
              for (const [name, value] of headers) setHeader.call(this, name, value);
              if (context.requestOutcomes.observed()) {
                state[5] = Date.now();
                this.addEventListener('loadend', onEnd);
                // Only a request with a timeout may time out; one given it after send() is
                // reported as a network error.
                if (this.timeout) this.addEventListener('timeout', onEnd);
              }
            }
          }
        } catch {}
        // eslint-disable-next-line prefer-rest-params
        return original.apply(this, arguments as any);
      },
  );
};
