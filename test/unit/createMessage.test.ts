import { describe, expect, it } from 'vitest';
import { createMessage, toDetails } from '../../src/message/createMessage';
import { MethodSourceInfo } from '../../src/message/methodSourceInfo';
import { contractProblems } from '../helpers/contract';

// Time stamp, sequence, agent session id, session id.
const stamp = ['1970-01-01T01:00:00.000+01:00', 7, 'agent-1', 'session-1'] as const;
const bodyOf = (message: unknown) => JSON.stringify({ logMessages: [message] });

describe('createMessage', () => {
  it('builds the contract shape with numeric severity and camelCase names', () => {
    const message = createMessage(8, ['Category', 'Caption', 'Description'], ...stamp);
    expect(message).toMatchObject({
      severity: 8,
      category: 'Category',
      caption: 'Caption',
      description: 'Description',
      sequence: 7,
      agentSessionId: 'agent-1',
      sessionId: 'session-1',
    });
    expect(contractProblems(bodyOf(message))).toEqual([]);
  });

  it('accepts severity names and falls back to information', () => {
    expect(createMessage('warning', [], ...stamp).severity).toBe(4);
    expect(createMessage('nonsense', [], ...stamp).severity).toBe(8);
    expect(createMessage(99, [], ...stamp).severity).toBe(8);
  });

  it('turns non-string or missing arguments into strings', () => {
    const message = createMessage(
      2,
      [42, { a: 1 }, undefined, 'param', null, undefined, 'not a source'],
      ...stamp,
    );
    expect(message).toMatchObject({
      category: '42',
      caption: '{"a":1}',
      description: '',
      parameters: ['param'],
    });
    expect(message).not.toHaveProperty('exception');
    expect(message).not.toHaveProperty('details');
    expect(message).not.toHaveProperty('methodSourceInfo');
    expect(contractProblems(bodyOf(message))).toEqual([]);
  });

  it('leaves sessionId out when there is none, for the server to fill in', () => {
    expect(createMessage(8, [], stamp[0], stamp[1], stamp[2], '')).not.toHaveProperty('sessionId');
  });

  it('makes parameters JSON-safe', () => {
    const loop: Record<string, unknown> = {};
    loop.loop = loop;
    const message = createMessage(8, ['c', 'c', '{0} {1}', [1n, loop]], ...stamp);
    expect(JSON.parse(JSON.stringify(message)).parameters).toEqual(['1', { loop: '[Circular]' }]);
  });

  it('builds the exception from an Error', () => {
    const error = new RangeError('out of range', { cause: new Error('root') });
    const { exception } = createMessage(2, ['c', 'c', 'd', null, error], ...stamp);
    expect(exception).toMatchObject({ message: 'out of range', cause: 'Error: root' });
    expect(exception!.stackTrace.length).toBeGreaterThan(0);
    expect(typeof exception!.line).toBe('number');
    expect(
      contractProblems(bodyOf(createMessage(2, ['c', 'c', 'd', null, error], ...stamp))),
    ).toEqual([]);
  });

  it.each([['a string'], [42], [{ code: 7 }], [true]])(
    'builds the exception from a thrown %j',
    (thrown) => {
      const message = createMessage(2, ['c', 'c', 'd', null, thrown], ...stamp);
      expect(message.exception).toEqual({
        message: typeof thrown === 'string' ? thrown : JSON.stringify(thrown),
        url: '',
        stackTrace: [],
        cause: '',
        line: null,
        column: null,
      });
      expect(contractProblems(bodyOf(message))).toEqual([]);
    },
  );

  it('accepts the MethodSourceInfo constructor, with or without new, and plain objects', () => {
    const viaNew = new MethodSourceInfo('app.js', 'save', 10, 4);
    const viaCall = MethodSourceInfo('app.js', 'save');
    expect(
      createMessage(8, ['c', 'c', 'd', null, null, null, viaNew], ...stamp).methodSourceInfo,
    ).toEqual({
      file: 'app.js',
      method: 'save',
      line: 10,
      column: 4,
    });
    expect(
      createMessage(8, ['c', 'c', 'd', null, null, null, viaCall], ...stamp).methodSourceInfo,
    ).toEqual({
      file: 'app.js',
      method: 'save',
      line: null,
      column: null,
    });
    const plain = { file: 'a.js', class: 'Cart', method: 'add', line: '12', column: 3.7 };
    const message = createMessage(8, ['c', 'c', 'd', null, null, null, plain], ...stamp);
    expect(message.methodSourceInfo).toEqual({
      file: 'a.js',
      class: 'Cart',
      method: 'add',
      line: 12,
      column: 3,
    });
    expect(contractProblems(bodyOf(message))).toEqual([]);
  });
});

describe('toDetails', () => {
  it('is always JSON text', () => {
    expect(toDetails('{"a":1}')).toBe('{"a":1}');
    expect(toDetails('plain words')).toBe('"plain words"');
    expect(toDetails({ a: [1] })).toBe('{"a":[1]}');
    expect(toDetails(5)).toBe('5');
  });

  it('is left out of the message for null and undefined', () => {
    for (const details of [null, undefined])
      expect(createMessage(8, ['c', 'c', 'd', null, null, details], ...stamp)).not.toHaveProperty(
        'details',
      );
  });
});
