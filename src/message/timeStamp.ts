/**
 * Formats epoch milliseconds as ISO 8601 with the local offset, e.g.
 * `2026-11-21T09:30:00.123+01:00`. Made for many calls: the text up to the second and the offset
 * are worked out once per second (offsets are whole minutes, so they change only on a second's
 * boundary); each call adds the milliseconds.
 */
export function createTimeStamper(): (epochMs: number) => string {
  let second: number | undefined;
  let tail: string;
  let head: string;
  return (epochMs) => {
    const ms = epochMs % 1000;
    // A new second (the first one too: `second` starts undefined) works out head and tail again.
    if (second != (second = epochMs - ms)) {
      // The local offset in milliseconds, east of UTC positive.
      const offset = new Date(second).getTimezoneOffset() * -6e4;
      // The UTC form of the instant shifted by the offset spells the local wall-clock time; that
      // of the offset's length (under a day) after 1970-01-01T00:00 spells it as hh:mm.
      head = new Date(second + offset).toISOString().slice(0, 20);
      tail = (offset < 0 ? '-' : '+') + new Date(Math.abs(offset)).toISOString().slice(11, 16);
    }
    return head + String(1000 + ms).slice(1) + tail;
  };
}
