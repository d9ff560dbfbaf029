import type { AgentOptions } from '../types';

/**
 * Options from the drop-in script tag's `data-*` attributes, each named after its option
 * (`data-log-server` → `logServer`). A present attribute with no value, or `true`, means true;
 * `false` or `0` mean false; whole numbers are numbers. `data-propagate-to`, `data-deny-urls` and
 * `data-allow-urls` take lists separated by commas or spaces, `data-ignore-errors` by commas.
 * No tag (`data` undefined) reads as no attributes.
 */
export function readScriptOptions(
  data: Record<string, string | undefined> | undefined,
): AgentOptions {
  const options: any = {};
  // (for…in over undefined runs no iteration.)
  for (const key in data) {
    const value = data![key] as string;
    // Error messages hold spaces: only commas separate them.
    options[key] = /To|Urls|ignore/.test(key)
      ? value.split(key[0] == 'i' ? /\s*,\s*/ : /[\s,]+/)
      : value == '' ||
        value == 'true' ||
        (value != 'false' && value != '0' && (/^\d+$/.test(value) ? +value : value));
  }
  if (options.captureFailedRequests === true) options.captureFailedRequests = '5xx';
  return options;
}
