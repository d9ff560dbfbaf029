import type { AgentOptions } from '../types';

// What each option a page may get wrong must be, by `typeof` (whole numbers of at least 0 for
// numbers). Options not named here are not checked: the drop-in script tag may carry data-*
// attributes meant for others, and the agent reads the rest in ways that cannot go wrong.
const KINDS: Record<string, string> = {
  boolean: 'credentials propagate captureErrors propagateOnError debug noiseFilters',
  number: 'maxMessageSize batchSize flushInterval maxStoredMessages maxStoredBytes maxMessageAge',
  string: 'logServer',
  function: 'beforeSend',
  object: 'ignoreErrors denyUrls allowUrls errorLimits earlyErrors',
};

/**
 * The options without those of a wrong type or value: each of those gets one console error
 * naming it and its value, and its default is used.
 */
export function checkOptions(options: AgentOptions): AgentOptions {
  const checked: any = { ...options };
  for (const kind in KINDS)
    for (const name of (KINDS[kind] as string).split(' ')) {
      const value = checked[name];
      if (
        value !== undefined &&
        (typeof value != kind ||
          value === null ||
          (kind == 'number' && !(Number.isInteger(value) && value >= 0)))
      ) {
        console.error(
          `[loupe-agent] Option ${name} = ${JSON.stringify(value)} is not a valid ${kind}; the default is used.`,
        );
        delete checked[name];
      }
    }
  return checked;
}
