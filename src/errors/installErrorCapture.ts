import type { AgentContext } from '../context';
import type { WriteArguments } from '../message/createMessage';
import type { LogException, Severity } from '../types';
import { listen } from '../util/patch';
import { createRateLimiter } from './createRateLimiter';
import { describeError } from './describeError';
import { scrubUrl } from './scrubUrl';

const CROSS_ORIGIN =
  'A cross-origin script failed. Browsers hide the details unless its <script> tag has the ' +
  'crossorigin attribute and it is served with Access-Control-Allow-Origin. Logged once.';

/**
 * Log uncaught errors, unhandled rejections (unless `captureErrors` is false) and failed app
 * requests (unless `captureFailedRequests` is false), within the `errorLimits`. Listens to the
 * `error` event rather than taking `window.onerror`, so the app's own handler is never touched.
 */
export function installErrorCapture(context: AgentContext): void {
  const { scope, options } = context;
  const limits = options.errorLimits || {};
  const limiter = createRateLimiter(limits.perSignature ?? 5, limits.perMinute ?? 60, Date.now);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let handling = false;
  let crossOriginLogged = false;

  // Counted occurrences go out in one message a minute after the first was dropped, at pagehide
  // (delivery sends what is logged then by beacon) and on uninstall.
  const reportDropped = () => {
    clearTimeout(timer);
    timer = undefined;
    const dropped = limiter.takeDropped();
    if (dropped.length)
      context.write(4, [
        'Loupe',
        'Errors not logged',
        'Counted, not logged (over errorLimits):' +
          dropped
            .map(([signature, count]) => '\n' + count + ' × ' + (signature || 'others'))
            .join(''),
      ]);
  };

  const capture = (signature: string, severity: Severity, args: WriteArguments) => {
    if (limiter.allow(signature)) context.write(severity, args);
    else timer ??= setTimeout(reportDropped, 60_000);
  };

  const handle = (event: Event & { filename?: string }, value: unknown, otherCaption: string) => {
    // An error raised while describing one (a hostile getter, a re-dispatched event) ends here.
    if (handling) return;
    handling = true;
    try {
      if (!context.propagateOnError()) event.preventDefault();
      if (value === 'Script error.' && !event.filename) {
        if (!crossOriginLogged) context.write(2, ['JavaScript', value, CROSS_ORIGIN]);
        crossOriginLogged = true;
      } else {
        const args = describeError(value, otherCaption, event);
        const { url, line } = args[4] as LogException;
        capture(args[1] + ': ' + args[2] + (url ? ' at ' + url + ':' + line : ''), 2, args);
      }
    } catch {
    } finally {
      handling = false;
    }
  };

  if (options.captureErrors !== false) {
    const onError = (event: ErrorEvent) => handle(event, event.error ?? event.message, 'Error');
    const onRejection = (event: PromiseRejectionEvent) =>
      handle(event, event.reason, 'Unhandled rejection');
    context.track('error', listen(scope, 'error', onError));
    context.track('unhandledrejection', listen(scope, 'unhandledrejection', onRejection));
    for (const event of Array.from(options.earlyErrors ?? [])) {
      if ('reason' in event) onRejection(event as PromiseRejectionEvent);
      else onError(event as ErrorEvent);
    }
  }

  if (options.captureFailedRequests !== false) {
    const lowest = options.captureFailedRequests === '4xx' ? 400 : 500;
    context.requestFinished = (outcome) => {
      try {
        const { method, status } = outcome;
        if (outcome.aborted || (status > 0 && status < lowest)) return;
        const url = scrubUrl(outcome.url);
        const result = status ? 'HTTP ' + status : 'Network error';
        capture(method + ' ' + url.split(/[?#]/)[0] + ' ' + result, 4, [
          'Network',
          result,
          method + ' ' + url + ' failed: ' + result + ' after ' + outcome.duration + ' ms',
          null,
          null,
          { ...outcome, url },
        ]);
      } catch {}
    };
    context.track('', () => {
      context.requestFinished = undefined;
    });
  }

  context.track('', listen(scope, 'pagehide', reportDropped));
  context.track('', reportDropped);
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
