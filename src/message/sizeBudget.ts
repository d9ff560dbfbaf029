import type { LogMessage } from '../types';

/**
 * The most a message, and a batch of them, may hold: 60 KiB of JSON. With the request's envelope
 * around it, a batch still fits the 64 KiB a beacon or keepalive request may carry, so every
 * message can leave at page exit.
 */
export const MAX_MESSAGE_BYTES = 61440;

/** UTF-8 length of a string; exact, without allocating. */
export const utf8Length = (text: string): number => {
  let bytes = text.length;
  // Most messages are ASCII: one native scan answers for them. (Chromium scans for this range
  // many times faster than for its complement, [^\0-\x7f].)
  if (/[\x80-\uffff]/.test(text)) {
    // From the last character to the first: the order does not change the sum.
    for (let index = text.length; index--;) {
      const code = text.charCodeAt(index);
      // A surrogate (0xd800 to 0xdfff: 27 once shifted right by 11) counts 2, 4 for the pair.
      if (code > 127) bytes += code > 2047 && code >> 11 != 27 ? 2 : 1;
    }
  }
  return bytes;
};

/**
 * Serialize a message within `limit` bytes, with its UTF-8 length: first shorten its details, and
 * if it is still too big, give up (undefined) so the caller can log a short "dropped" message
 * instead.
 */
export function serializeWithinBudget(
  message: LogMessage,
  limit: number,
): [json: string, bytes: number] | undefined {
  const details = message.details;
  // How many characters of the details to keep: none cut yet.
  for (let keep: number | undefined; ;) {
    const json = JSON.stringify(message);
    const bytes = utf8Length(json);
    if (bytes <= limit) return [json, bytes];
    // Without details there is nothing to cut. Quoting the details again escapes them once more,
    // so start from half the proportion and halve until the message fits (giving up under one
    // character); the marker says the details were cut.
    if (!details || (keep = (keep || (details.length * limit) / bytes) / 2) < 1) return;
    message.details = JSON.stringify(details.slice(0, keep) + '…[truncated]');
  }
}
