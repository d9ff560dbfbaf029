import type { AgentContext } from '../context';
import type { MethodSourceInfoShape } from '../types';
import { listen } from '../util/patch';
import type { ErrorGate } from './createErrorGate';
import { describeError } from './describeError';

/**
 * Log uncaught errors and unhandled rejections, and the `earlyErrors` queued before the agent
 * loaded, through the error gate. Listens to the `error` event rather than taking
 * `window.onerror`, so the app's own handler is never touched.
 */
export function installErrorCapture(context: AgentContext, gate: ErrorGate): void {
  let scriptErrorLogged: boolean | undefined;
  let handling: boolean | undefined;

  // One handler for both events, and for the `earlyErrors` queued before the agent loaded.
  const onError = (event: Event & Partial<ErrorEvent & PromiseRejectionEvent>) => {
    // An error raised while describing one (a hostile getter, a re-dispatched event) ends here.
    if (handling) return;
    handling = true;
    try {
      const rejection = 'reason' in event;
      const value = rejection ? event.reason : (event.error ?? event.message);
      if (!context.propagatesErrors()) event.preventDefault();
      if (value === 'Script error.' && !event.filename) {
        if (!scriptErrorLogged)
          context.write(2, [
            'JavaScript',
            value,
            'Details hidden: give the cross-origin script crossorigin and its response ' +
              'Access-Control-Allow-Origin. Logged once.',
          ]);
        scriptErrorLogged = true;
      } else {
        const args = describeError(value, rejection ? 'Unhandled rejection' : 'Error', event);
        // A source always names its file.
        const source = args[6] as MethodSourceInfoShape | undefined;
        gate.capture(
          args[1] + ': ' + args[2] + (source ? ' at ' + source.file + ':' + source.line : ''),
          2,
          args,
        );
      }
    } catch {}
    handling = false;
  };

  for (const type of ['error', 'unhandledrejection'])
    context.track(type, listen(context.scope, type, onError));
  Array.from(context.options.earlyErrors || [], onError);
}
