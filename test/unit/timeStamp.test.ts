import { afterEach, expect, it } from 'vitest';
import { createTimeStamper } from '../../src/message/timeStamp';

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
  const epochMs = Date.UTC(2026, 0, 15, 12, 34, 56, 7);
  const stamp = createTimeStamper()(epochMs);
  expect(stamp).toMatch(ISO_WITH_OFFSET);
  expect(stamp.endsWith(offset)).toBe(true);
  expect(stamp.slice(20, 23)).toBe('007');
  expect(new Date(stamp).getTime()).toBe(epochMs);
});

it.each(['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Europe/Berlin'])(
  'stays exact across seconds and a DST change in %s',
  (zone) => {
    process.env.TZ = zone;
    const stamp = createTimeStamper();
    const offsetOf = (epochMs: number) => {
      const minutes = -new Date(epochMs).getTimezoneOffset();
      const absolute = Math.abs(minutes);
      const two = (value: number) => String(value).padStart(2, '0');
      return (minutes < 0 ? '-' : '+') + two(Math.floor(absolute / 60)) + ':' + two(absolute % 60);
    };
    // Berlin leaves summer time at 2026-10-25T01:00:00Z; the run crosses it, and goes back.
    const start = Date.UTC(2026, 9, 25, 0, 59, 58, 990);
    for (const epochMs of [
      ...Array.from({ length: 430 }, (_, index) => start + index * 7),
      start + 5,
    ]) {
      const text = stamp(epochMs);
      expect(text).toMatch(ISO_WITH_OFFSET);
      expect(text.endsWith(offsetOf(epochMs))).toBe(true);
      expect(new Date(text).getTime()).toBe(epochMs);
    }
  },
);
