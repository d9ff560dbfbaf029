import type { AgentOptions } from '../types';

const flag = (value: string | undefined): boolean | undefined =>
  value === undefined ? undefined : value !== 'false' && value !== '0';

/**
 * Options from the drop-in script tag's `data-*` attributes:
 * `data-log-server`, `data-credentials`, `data-propagate-to` (origins separated by commas or
 * spaces), `data-propagate-on-error`, `data-debug`, and `false` on `data-propagate`,
 * `data-capture-errors` or `data-capture-failed-requests` (which also takes `4xx`) to switch a
 * part off.
 */
export function readScriptOptions(data: Record<string, string | undefined>): AgentOptions {
  const options: AgentOptions = {};
  const set = <K extends keyof AgentOptions>(key: K, value: AgentOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value as AgentOptions[K];
  };
  set('logServer', data.logServer);
  set('credentials', flag(data.credentials));
  set('propagateTo', data.propagateTo?.split(/[\s,]+/).filter(Boolean));
  set('propagateOnError', flag(data.propagateOnError));
  set('debug', flag(data.debug));
  set('propagate', flag(data.propagate));
  set('captureErrors', flag(data.captureErrors));
  const failed = data.captureFailedRequests;
  set(
    'captureFailedRequests',
    failed === undefined ? undefined : failed === '4xx' ? '4xx' : flag(failed) && '5xx',
  );
  return options;
}
