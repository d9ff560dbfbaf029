import type { WriteArguments } from '../message/createMessage';
import type { AgentOptions, Severity } from '../types';

/** Where captured errors and failed requests pass the `errorLimits` on their way to assembly. */
export interface ErrorGate {
  /**
   * Log the message unless its signature (which holds a space) is over the limits; then it is
   * counted.
   */
  capture(signature: string, severity: Severity, args: WriteArguments): void;
  /** Log what was counted, as one "Errors not logged" warning; nothing when nothing was. */
  reportDropped(): void;
}

/**
 * In each minute (from the first occurrence after the last minute ended, by `Date.now()`), logs
 * at most `perSignature` occurrences of one signature (default 5) and `perMinute` in all
 * (default 60); the others are counted (signature → count, in first-dropped order; past 20
 * signatures the rest add up under 'others'). Reporting them does not reopen the limits. Memory
 * stays bounded whatever the rate: at most `perMinute` counters and 21 dropped entries. The
 * counted occurrences go out in one message a minute after the first was dropped, and whenever
 * the agent calls `reportDropped` (at page exit and on uninstall).
 */
export function createErrorGate(
  limits: AgentOptions['errorLimits'],
  write: (severity: Severity, args: WriteArguments) => void,
): ErrorGate {
  const dropped = new Map<string, number>();
  const { perSignature = 5, perMinute = 60 } = limits || {};
  // The first capture starts a minute (no time is >= undefined), which sets the minute's counts.
  let start: number;
  let logged: number;
  // The minute's count of each signature. A signature always holds a space, so that none is the
  // name of a member every object inherits.
  let counts: Record<string, number>;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reportDropped = () => {
    let text = '';
    for (const [signature, count] of dropped)
      text += '\n' + count + ' × ' + (signature || 'others');
    dropped.clear();
    clearTimeout(timer);
    timer = undefined;
    if (text) write(4, ['Loupe', 'Errors not logged', 'Over errorLimits:' + text]);
  };
  return {
    capture(signature, severity, args) {
      const time = Date.now();
      // Unless the time is within the current minute, a new one starts (also when the clock was
      // set back).
      if (!(time >= start && time - start < 60_000)) {
        start = time;
        logged = 0;
        counts = {};
      }
      if ((counts[signature] || 0) < perSignature && logged++ < perMinute) {
        counts[signature] = (counts[signature] || 0) + 1;
        write(severity, args);
      } else {
        const key = dropped.has(signature) || dropped.size < 20 ? signature : '';
        dropped.set(key, (dropped.get(key) || 0) + 1);
        timer ||= setTimeout(reportDropped, 60_000);
      }
    },
    reportDropped,
  };
}
