import { afterEach, expect, it } from 'vitest';
import { formatTimeStamp } from '../../src/message/timeStamp';

const originalZone = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalZone;
});

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

it.each([
  ['UTC', '+00:00'],
  ['Asia/Kolkata', '+05:30'],
  ['America/St_Johns', '-03:30'],
  ['Pacific/Kiritimati', '+14:00'],
])('writes ISO 8601 with the local offset in %s', (zone, offset) => {
  process.env.TZ = zone;
  const date = new Date(Date.UTC(2026, 0, 15, 12, 34, 56, 7));
  const stamp = formatTimeStamp(date);
  expect(stamp).toMatch(ISO_WITH_OFFSET);
  expect(stamp.endsWith(offset)).toBe(true);
  expect(new Date(stamp).getTime()).toBe(date.getTime());
});
