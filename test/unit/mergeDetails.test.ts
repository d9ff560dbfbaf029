import { describe, expect, it } from 'vitest';
import { mergeDetails } from '../../src/assembly/mergeDetails';

const CONTEXT = JSON.stringify({ page: 'https://shop.example/cart?step=2', release: '2.4.1' });
const parsed = (details: string | undefined) => JSON.parse(mergeDetails(details, CONTEXT));

describe('mergeDetails', () => {
  it('puts the context alone under "loupe" when the app gave no details', () => {
    expect(parsed(undefined)).toEqual({ loupe: JSON.parse(CONTEXT) });
  });

  it('adds "loupe" beside the keys of an object, first, keeping every key', () => {
    const text = mergeDetails('{"orderId":7,"items":[1,2]}', CONTEXT);
    expect(text.startsWith('{"loupe":')).toBe(true);
    expect(JSON.parse(text)).toEqual({ loupe: JSON.parse(CONTEXT), orderId: 7, items: [1, 2] });
  });

  it('handles an empty object and JSON text with whitespace around it', () => {
    expect(parsed('{}')).toEqual({ loupe: JSON.parse(CONTEXT) });
    expect(parsed(' { } ')).toEqual({ loupe: JSON.parse(CONTEXT) });
    expect(parsed('\n {\n "a": 1\n}\n')).toEqual({ loupe: JSON.parse(CONTEXT), a: 1 });
  });

  it('keeps details that are not an object whole under "details"', () => {
    for (const details of ['[1,2,3]', '"just text"', '42', 'true', 'null']) {
      expect(parsed(details)).toEqual({ loupe: JSON.parse(CONTEXT), details: JSON.parse(details) });
    }
  });

  it('keeps an object with a "loupe" key of its own whole, under "details"', () => {
    expect(parsed('{"loupe":"the app\'s","b":2}')).toEqual({
      loupe: JSON.parse(CONTEXT),
      details: { loupe: "the app's", b: 2 },
    });
  });

  it('merges an object that only mentions "loupe" in a value or a nested key', () => {
    expect(parsed('{"note":"loupe","nested":{"loupe":1}}')).toEqual({
      loupe: JSON.parse(CONTEXT),
      note: 'loupe',
      nested: { loupe: 1 },
    });
  });
});
