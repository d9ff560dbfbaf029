import type { WriteArguments } from '../message/createMessage';
import type { AgentOptions, Severity } from '../types';
import { createRateLimiter } from './createRateLimiter';

/** Where captured errors and failed requests pass the `errorLimits` on their way to assembly. */
export interface ErrorGate {
  /** Log the message unless its signature is over the limits; then it is counted. */
  capture(signature: string, severity: Severity, args: WriteArguments): void;
  /** Log what was counted, as one "Errors not logged" warning; nothing when nothing was. */
  reportDropped(): void;
}

/**
 * The counted occurrences go out in one message a minute after the first was dropped, and
 * whenever the agent calls `reportDropped` (at page exit and on uninstall).
 */
export function createErrorGate(
  limits: AgentOptions['errorLimits'],
  write: (severity: Severity, args: WriteArguments) => void,
): ErrorGate {
  const dropped = new Map<string, number>();
  const allow = createRateLimiter(limits, dropped);
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  const reportDropped = () => {
    let text = '';
    for (const [signature, count] of dropped)
      text += '\n' + count + ' × ' + (signature || 'others');
    dropped.clear();
    clearTimeout(timer);
    timer = 0;
    if (text) write(4, ['Loupe', 'Errors not logged', 'Over errorLimits:' + text]);
  };
  return {
    capture(signature, severity, args) {
      if (allow(signature)) write(severity, args);
      else timer ||= setTimeout(reportDropped, 60_000);
    },
    reportDropped,
  };
}
