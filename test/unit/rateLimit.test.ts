import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createErrorGate } from '../../src/errors/createErrorGate';

/**
 * The error gate's limits, seen as a limiter: `allow` captures a signature and tells whether it
 * was logged; `takeDropped` reports the counted ones and reads them back from the warning.
 */
function createRateLimiter(perSignature: number, perMinute: number) {
  let logged = 0;
  let report = '';
  const gate = createErrorGate({ perSignature, perMinute }, (_, args) => {
    if (args[1] == 'Errors not logged') report = args[2] as string;
    else logged++;
  });
  return {
    allow(signature: string) {
      const before = logged;
      gate.capture(signature, 2, ['JavaScript', signature]);
      return logged > before;
    },
    takeDropped() {
      report = '';
      gate.reportDropped();
      return report
        .split('\n')
        .slice(1)
        .map((line) => {
          const [count, signature] = line.split(' × ');
          return [signature == 'others' ? '' : signature, +count];
        });
    },
  };
}

/** The limiter reads Date.now(): a fake clock that only moves when told. */
function clock(start = 1_000_000) {
  let time = start;
  vi.setSystemTime(time);
  return { advance: (ms: number) => vi.setSystemTime((time += ms)) };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const allowedOf = (allow: (signature: string) => boolean, signatures: string[]) =>
  signatures.filter((signature) => allow(signature));

describe('error gate limits', () => {
  it('allows a signature perSignature times a minute and counts the rest', () => {
    clock();
    const limiter = createRateLimiter(3, 100);
    expect(allowedOf(limiter.allow, Array(10).fill('A'))).toHaveLength(3);
    expect(limiter.allow('B')).toBe(true);
    expect(limiter.takeDropped()).toEqual([['A', 7]]);
    expect(limiter.takeDropped()).toEqual([]);
  });

  it('caps all signatures together at perMinute', () => {
    clock();
    const limiter = createRateLimiter(5, 4);
    const signatures = ['A', 'B', 'C', 'D', 'E', 'F', 'A'];
    expect(allowedOf(limiter.allow, signatures)).toEqual(['A', 'B', 'C', 'D']);
    expect(limiter.takeDropped()).toEqual([
      ['E', 1],
      ['F', 1],
      ['A', 1],
    ]);
  });

  it('opens again a minute after the window started, not after the last occurrence', () => {
    const time = clock();
    const limiter = createRateLimiter(2, 100);
    expect(allowedOf(limiter.allow, ['A', 'A', 'A'])).toHaveLength(2);
    time.advance(59_999);
    expect(limiter.allow('A')).toBe(false);
    time.advance(1);
    expect(allowedOf(limiter.allow, ['A', 'A', 'A'])).toHaveLength(2);
    expect(limiter.takeDropped()).toEqual([['A', 3]]);
  });

  it('taking the dropped counts does not reopen the limits', () => {
    clock();
    const limiter = createRateLimiter(1, 100);
    limiter.allow('A');
    limiter.allow('A');
    expect(limiter.takeDropped()).toEqual([['A', 1]]);
    expect(limiter.allow('A')).toBe(false);
    expect(limiter.takeDropped()).toEqual([['A', 1]]);
  });

  it('keeps its memory bounded: past 20 dropped signatures the rest add up under ""', () => {
    clock();
    const limiter = createRateLimiter(1, 1);
    limiter.allow('first');
    for (let index = 0; index < 10_000; index++) limiter.allow('error ' + index);
    const dropped = limiter.takeDropped();
    expect(dropped).toHaveLength(21);
    expect(dropped[19]).toEqual(['error 19', 1]);
    expect(dropped[20]).toEqual(['', 10_000 - 20]);
  });

  it('recovers when the clock goes back', () => {
    const time = clock();
    const limiter = createRateLimiter(1, 100);
    expect(limiter.allow('A')).toBe(true);
    time.advance(-3_600_000);
    expect(limiter.allow('A')).toBe(true);
  });

  it('a limit of 0 logs nothing', () => {
    clock();
    const limiter = createRateLimiter(0, 60);
    expect(limiter.allow('A')).toBe(false);
    expect(limiter.takeDropped()).toEqual([['A', 1]]);
  });
});
