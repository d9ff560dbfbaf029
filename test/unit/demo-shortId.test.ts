import { expect, it } from 'vitest';
import { shortId } from '../../demo/shortId';

it('shortens GUIDs to their first 8 characters and keeps other ids whole', () => {
  expect(shortId('fb0ac45f-265f-4ff5-952c-50fae5da0755')).toBe('fb0ac45f');
  expect(shortId('customer-a1b2c3')).toBe('customer-a1b2c3');
  expect(shortId('0123456789abcdef0123456789abcdef-not-a-guid')).toBe(
    '0123456789abcdef0123456789abcdef-not-a-guid',
  );
  expect(shortId(undefined)).toBe('—');
  expect(shortId('')).toBe('—');
});
