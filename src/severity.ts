import type { LogMessageSeverityMap, Severity } from './types';

/** The legacy `logMessageSeverity` map: names to the numbers the server expects. */
export const logMessageSeverity: LogMessageSeverityMap = Object.freeze({
  none: 0,
  critical: 1,
  error: 2,
  warning: 4,
  information: 8,
  verbose: 16,
});

/** Accept a severity number or name; anything else becomes information. */
export function toSeverity(value: unknown): Severity {
  const number = typeof value == 'string' ? logMessageSeverity[value as 'error'] : value;
  return number === 1 || number === 2 || number === 4 || number === 16 ? number : 8;
}
