import type { LogMessage } from '../types';

/** UTF-8 length of a string; exact, without allocating. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x80) bytes += code >= 0x800 && (code < 0xd800 || code > 0xdfff) ? 2 : 1;
  }
  return bytes;
}

/** True when `text` is at most `limit` UTF-8 bytes; the exact count only when it could matter. */
export function fitsIn(text: string, limit: number): boolean {
  return text.length * 3 <= limit || (text.length <= limit && utf8Length(text) <= limit);
}

/**
 * Serialize a message within `limit` bytes: first shorten its details, and if it is still too
 * big, give up (undefined) so the caller can log a short "dropped" message instead.
 */
export function serializeWithinBudget(message: LogMessage, limit: number): string | undefined {
  let json = JSON.stringify(message);
  if (fitsIn(json, limit)) return json;
  const details = message.details;
  if (details) {
    // Keep what fits of the details as a JSON string; the marker says it was cut. Quoting the
    // details again escapes them once more, so start from the proportion and halve until it fits.
    let keep = Math.floor((details.length * limit) / utf8Length(json) / 2);
    while (keep > 0) {
      message.details = JSON.stringify(details.slice(0, keep) + '…[truncated]');
      json = JSON.stringify(message);
      if (fitsIn(json, limit)) return json;
      keep = keep >> 1;
    }
    delete message.details;
  }
  return undefined;
}
