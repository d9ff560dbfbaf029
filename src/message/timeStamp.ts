const pad = (value: number) => (value < 10 ? '0' : '') + value;

/** ISO 8601 with milliseconds and the local offset, e.g. `2026-11-21T09:30:00.123+01:00`. */
export function formatTimeStamp(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const absolute = Math.abs(offset);
  // The UTC form of the instant shifted by the offset spells the local wall-clock time.
  return (
    new Date(date.getTime() + offset * 60000).toISOString().slice(0, 23) +
    (offset < 0 ? '-' : '+') +
    pad((absolute / 60) | 0) +
    ':' +
    pad(absolute % 60)
  );
}
