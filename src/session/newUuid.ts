/**
 * A random UUID (version 4) from `crypto.getRandomValues`, which browsers have on every page;
 * `crypto.randomUUID` exists only in secure contexts (https and localhost).
 */
export function newUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  // The version (4) in the high half of byte 6, the variant (binary 10) at the top of byte 8.
  bytes[6] = (bytes[6]! & 15) | 64;
  bytes[8] = (bytes[8]! & 63) | 128;
  return Array.from(bytes, (byte) => (byte + 256).toString(16).slice(1))
    .join('')
    .replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}
