import { PAGE_ONLY } from './environment';
import { toSeverity } from './severity';
import type { AgentOptions } from './types';

/**
 * Whether option `name` takes `value`; what is not named here takes anything. Numbers are not
 * negative; patterns are strings or RegExps, one or a list (`propagateTo` may also be a function).
 * The drop-in script checks what its data-* attributes can carry; bundles check the rest too.
 */
const fits = (name: string, value: any): unknown =>
  /^(max|batch|flush)/.test(name)
    ? typeof value == 'number' && value >= 0
    : /^(credentials|propagate(OnError)?|captureErrors|noiseFilters|debug)$/.test(name)
      ? typeof value == 'boolean'
      : PAGE_ONLY ||
        (name == 'captureFailedRequests'
          ? value === false || value == '4xx' || value == '5xx'
          : name == 'minSeverity'
            ? toSeverity(value) != 8 || value == 8 || value == 'information'
            : name == 'release'
              ? typeof value == 'string'
              : name == 'beforeSend'
                ? typeof value == 'function'
                : name == 'errorLimits'
                  ? value && typeof value == 'object'
                  : !/^(propagateTo|ignoreErrors|denyUrls|allowUrls)$/.test(name) ||
                    (name[0] == 'p' && typeof value == 'function') ||
                    [value]
                      .flat()
                      .every((item) => typeof item == 'string' || item instanceof RegExp));

/**
 * The options as given, less those of the wrong type or value: each of those gets one console
 * error naming it and its value, and its default applies.
 */
export function checkOptions(options: AgentOptions): AgentOptions {
  const checked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options))
    if (value === undefined || fits(name, value)) checked[name] = value;
    else console.error('[loupe-agent] Not a valid value, the default applies: option', name, value);
  return checked;
}
