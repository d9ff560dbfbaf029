/** The key under which a message's details carry the agent's context (page, release, the app's `setContext`). */
export const CONTEXT_KEY = 'loupe';

/**
 * The app's details (JSON text, or none) with the agent's context (JSON text) added under
 * `"loupe"`, first, so that shortening an oversize message's details keeps it. An object gets the
 * key beside its own; anything else (an array, a string, a number, or an object with a `"loupe"`
 * of its own) is kept whole under `"details"`. Nothing the app gave is lost.
 */
export const mergeDetails = (details: string | undefined, context: string): string => {
  const head = '{"' + CONTEXT_KEY + '":' + context;
  if (
    details?.trim()[0] == '{' &&
    !(details.includes('"' + CONTEXT_KEY + '"') && CONTEXT_KEY in JSON.parse(details))
  ) {
    const rest = details.slice(details.indexOf('{') + 1);
    return head + (rest.trim()[0] == '}' ? '' : ',') + rest;
  }
  return head + (details ? ',"details":' + details : '') + '}';
};
