function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** ISO 8601 with milliseconds and the local offset, e.g. `2026-11-21T09:30:00.123+01:00`. */
export function formatTimeStamp(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const absolute = Math.abs(offset);
  return (
    date.getFullYear() +
    '-' +
    pad(date.getMonth() + 1) +
    '-' +
    pad(date.getDate()) +
    'T' +
    pad(date.getHours()) +
    ':' +
    pad(date.getMinutes()) +
    ':' +
    pad(date.getSeconds()) +
    '.' +
    pad(date.getMilliseconds(), 3) +
    (offset < 0 ? '-' : '+') +
    pad(Math.floor(absolute / 60)) +
    ':' +
    pad(absolute % 60)
  );
}
