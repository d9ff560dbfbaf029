/**
 * A random UUID (version 4) from `crypto.getRandomValues`, which browsers have on every page;
 * `crypto.randomUUID` exists only in secure contexts (https and localhost).
 *
 * The 4 is the version. Every 0 and 1 of the pattern takes four random bits (15 >> 0): a random
 * hex digit; the 8 takes two (15 >> 2): 8 to b, the variant (binary 10).
 */
export const newUuid = (): string =>
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) =>
    (+digit ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+digit / 4)))).toString(16),
  );
