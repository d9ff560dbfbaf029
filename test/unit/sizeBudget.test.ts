import { expect, it } from 'vitest';
import { createMessage } from '../../src/message/createMessage';
import { serializeWithinBudget, utf8Length } from '../../src/message/sizeBudget';

// Time stamp, sequence, agent session id, session id.
const stamp = ['1970-01-01T00:00:00.000+00:00', 1, 'a', ''] as const;

it('counts UTF-8 bytes exactly', () => {
  for (const text of [
    'abc',
    '\x7f',
    '\x80',
    'é',
    '\u07ff',
    '\u0800',
    '€',
    '\uffff',
    '😀',
    'a€😀é',
  ]) {
    expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
  }
  expect(utf8Length('x'.repeat(1000) + '€')).toBe(1003);
});

it('keeps a message under the limit as it is', () => {
  const message = createMessage(8, ['c', 'c', 'd', null, null, { a: 1 }], ...stamp);
  const json = JSON.stringify(message);
  expect(serializeWithinBudget(message, 10_000)).toEqual([json, json.length]);
});

it('truncates the details of an oversize message and keeps them JSON text', () => {
  const message = createMessage(
    8,
    ['c', 'c', 'd', null, null, { blob: 'x"'.repeat(50_000) }],
    ...stamp,
  );
  const [json, bytes] = serializeWithinBudget(message, 20_000)!;
  expect(bytes).toBe(Buffer.byteLength(json));
  expect(bytes).toBeLessThanOrEqual(20_000);
  const details = JSON.parse(json).details;
  expect(JSON.parse(details)).toMatch(/…\[truncated\]$/);
});

it('gives up when the message is too big even without details', () => {
  const message = createMessage(8, ['c', 'c', '€'.repeat(10_000), null, null, { a: 1 }], ...stamp);
  expect(serializeWithinBudget(message, 20_000)).toBeUndefined();
});
