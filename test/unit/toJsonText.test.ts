import { describe, expect, it } from 'vitest';
import { toJsonText, toText } from '../../src/message/toJsonText';

describe('toJsonText', () => {
  it('serializes plain values as JSON does', () => {
    expect(toJsonText({ a: 1, b: ['x', true, null] })).toBe('{"a":1,"b":["x",true,null]}');
    expect(toJsonText('text')).toBe('"text"');
    expect(toJsonText(undefined)).toBe('null');
  });

  it('marks circular references instead of throwing', () => {
    const value: Record<string, unknown> = { name: 'loop' };
    value.self = value;
    value.list = [value];
    expect(JSON.parse(toJsonText(value))).toEqual({
      name: 'loop',
      self: '[Circular]',
      list: ['[Circular]'],
    });
  });

  it('keeps a shared object that is not circular', () => {
    const shared = { n: 1 };
    expect(JSON.parse(toJsonText({ a: shared, b: shared }))).toEqual({ a: { n: 1 }, b: { n: 1 } });
  });

  it('writes BigInt, functions, symbols and non-finite numbers as text', () => {
    const parsed = JSON.parse(
      toJsonText({
        big: 12345678901234567890n,
        fn: function named() {},
        sym: Symbol('s'),
        nan: NaN,
      }),
    );
    expect(parsed).toEqual({
      big: '12345678901234567890',
      fn: '[Function named]',
      sym: 'Symbol(s)',
      nan: 'NaN',
    });
  });

  it('describes DOM-like nodes instead of walking them', () => {
    const node = { nodeType: 1, nodeName: 'DIV', id: 'main', ownerDocument: {} };
    expect(toJsonText({ node })).toBe('{"node":"<div#main>"}');
  });

  it('survives getters that throw', () => {
    const value = {
      ok: 1,
      get broken() {
        throw new Error('nope');
      },
    };
    expect(JSON.parse(toJsonText(value))).toEqual({ ok: 1, broken: '[Threw: nope]' });
  });

  it('uses toJSON and survives a throwing toJSON', () => {
    expect(toJsonText({ when: new Date(0) })).toBe('{"when":"1970-01-01T00:00:00.000Z"}');
    const bad = {
      toJSON() {
        throw new Error('x');
      },
    };
    expect(toJsonText({ bad })).toBe('{"bad":"[Unreadable]"}');
  });

  it('serializes errors with name, message and stack', () => {
    const parsed = JSON.parse(toJsonText(new TypeError('bad')));
    expect(parsed).toMatchObject({ name: 'TypeError', message: 'bad' });
    expect(typeof parsed.stack).toBe('string');
  });

  it('limits depth', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 20; i++) deep = deep.next = {};
    expect(toJsonText(root)).toContain('[Object]');
  });
});

describe('toText', () => {
  it('keeps strings and turns everything else into readable text', () => {
    expect(toText('a')).toBe('a');
    expect(toText(undefined)).toBe('');
    expect(toText(null)).toBe('');
    expect(toText(42)).toBe('42');
    expect(toText({ a: 1 })).toBe('{"a":1}');
    expect(toText(new Error('boom'))).toBe('Error: boom');
  });

  it('never throws, even when toString throws', () => {
    const hostile = Object.assign(new Error('x'), {
      toString() {
        throw new Error('no');
      },
    });
    expect(() => toText(hostile)).not.toThrow();
  });
});
