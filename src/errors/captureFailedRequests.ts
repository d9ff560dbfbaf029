import type { RequestOutcome } from '../instrument/requestOutcome';
import type { AgentOptions } from '../types';
import type { Observable } from '../util/createObservable';
import type { Restore } from '../util/patch';
import type { ErrorGate } from './createErrorGate';
import { scrubUrl } from './scrubUrl';

/**
 * Log the app's requests that failed: network errors and 5xx answers, with `'4xx'` also 4xx
 * answers. Aborts are the app's own doing and never logged; a request that ran out of time is
 * logged as a timeout. URLs are scrubbed of secrets.
 */
export function captureFailedRequests(
  outcomes: Observable<RequestOutcome>,
  level: AgentOptions['captureFailedRequests'],
  gate: ErrorGate,
): Restore {
  // The lowest status logged; 0, a network error, is always logged.
  const lowest = level == '4xx' ? 400 : 500;
  return outcomes.subscribe((outcome) => {
    const { method, status } = outcome;
    // Most requests succeed: decide that before building any text. A status under the lowest is
    // skipped unless it is 0.
    if (outcome.aborted || (status < lowest && status)) return;
    // The outcome is made for this call: its URL is scrubbed in place for the details.
    const url = (outcome.url = scrubUrl(outcome.url));
    const result = status ? 'HTTP ' + status : outcome.timedOut ? 'Timeout' : 'Network error';
    gate.capture(method + ' ' + url.split(/[?#]/)[0] + ' ' + result, 4, [
      'Network',
      result,
      method + ' ' + url + ' failed: ' + result + ' after ' + outcome.duration + ' ms',
      null,
      null,
      outcome,
    ]);
  });
}
