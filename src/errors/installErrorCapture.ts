import type { AgentContext } from '../context';
import type { WriteArguments } from '../message/createMessage';
import type { LogException, Severity } from '../types';
import { listen } from '../util/patch';
import { createRateLimiter } from './createRateLimiter';
import { describeError } from './describeError';
import { scrubUrl } from './scrubUrl';

/**
 * Log uncaught errors, unhandled rejections (unless `captureErrors` is false) and failed app
 * requests (unless `captureFailedRequests` is false), within the `errorLimits`. Listens to the
 * `error` event rather than taking `window.onerror`, so the app's own handler is never touched.
 */
export function installErrorCapture(context: AgentContext): void {
  const { scope, options, write, track } = context;
  const failedRequests = options.captureFailedRequests;
  const dropped = new Map<string, number>();
  const allow = createRateLimiter(options.errorLimits, dropped);
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let handling = false;
  let scriptErrorLogged = false;

  // Counted occurrences go out in one message a minute after the first was dropped, at pagehide
  // (delivery sends what is logged then by beacon) and on uninstall.
  const reportDropped = () => {
    let text = '';
    for (const [signature, count] of dropped)
      text += '\n' + count + ' × ' + (signature || 'others');
    dropped.clear();
    clearTimeout(timer);
    timer = 0;
    if (text) write(4, ['Loupe', 'Errors not logged', 'Over errorLimits:' + text]);
  };

  const capture = (signature: string, severity: Severity, args: WriteArguments) => {
    if (allow(signature)) write(severity, args);
    else timer ||= setTimeout(reportDropped, 60_000);
  };

  // One handler for both events, and for the `earlyErrors` queued before the agent loaded.
  const onError = (event: Event & Partial<ErrorEvent & PromiseRejectionEvent>) => {
    // An error raised while describing one (a hostile getter, a re-dispatched event) ends here.
    if (handling) return;
    handling = true;
    try {
      const rejection = 'reason' in event;
      const value = rejection ? event.reason : (event.error ?? event.message);
      if (!context.propagateOnError()) event.preventDefault();
      if (value === 'Script error.' && !event.filename) {
        if (!scriptErrorLogged)
          write(2, [
            'JavaScript',
            value,
            'Details hidden: give the cross-origin <script> tag crossorigin and its response ' +
              'Access-Control-Allow-Origin. Logged once.',
          ]);
        scriptErrorLogged = true;
      } else {
        const args = describeError(value, rejection ? 'Unhandled rejection' : 'Error', event);
        const { url, line } = args[4] as LogException;
        capture(args[1] + ': ' + args[2] + (url ? ' at ' + url + ':' + line : ''), 2, args);
      }
    } catch {}
    handling = false;
  };

  if (options.captureErrors !== false) {
    for (const type of ['error', 'unhandledrejection']) track(type, listen(scope, type, onError));
    Array.from(options.earlyErrors || [], onError);
  }

  if (failedRequests !== false) {
    // Called inside the request patches' own guard.
    context.requestFinished = (outcome) => {
      const { method, status } = outcome;
      // Most requests succeed: decide that before building any text.
      if (outcome.aborted || (status && status < (failedRequests == '4xx' ? 400 : 500))) return;
      // The outcome is made for this call: its URL is scrubbed in place for the details.
      const url = (outcome.url = scrubUrl(outcome.url));
      const result = status ? 'HTTP ' + status : outcome.timedOut ? 'Timeout' : 'Network error';
      capture(method + ' ' + url.split(/[?#]/)[0] + ' ' + result, 4, [
        'Network',
        result,
        method + ' ' + url + ' failed: ' + result + ' after ' + outcome.duration + ' ms',
        null,
        null,
        outcome,
      ]);
    };
  }

  // Restored in reverse order: the counts go out before the pagehide listener goes.
  track('', listen(scope, 'pagehide', reportDropped));
  track('', () => {
    reportDropped();
    context.requestFinished = undefined;
  });
}

/** Log an error the way uncaught errors are logged, with the app's details and category. */
export function recordError(
  context: AgentContext,
  error: unknown,
  details?: unknown,
  category?: string,
): void {
  const args = describeError(error, 'Error');
  if (category) args[0] = category;
  args[5] = details;
  context.write(2, args);
}
