import type { LogException } from '../types';
import { toWholeNumber } from './methodSourceInfo';
import { parseStackFrame, stackLines } from './stackFrame';
import { toText } from './toJsonText';

/** What an `exception` argument or a thrown value says, in the contract's shape. */
export function createException(value: unknown): LogException {
  if (value && typeof value === 'object') {
    const error = value as Record<string, unknown>;
    let stackTrace: string[];
    let message: string;
    let cause: unknown;
    let url: unknown;
    let line: unknown;
    let column: unknown;
    try {
      message = toText(error.message);
      stackTrace = Array.isArray(error.stackTrace)
        ? error.stackTrace.map(toText)
        : stackLines(error.stack);
      cause = error.cause;
      const top = stackTrace[0] ? parseStackFrame(stackTrace[0]) : undefined;
      url = error.url ?? error.fileName ?? top?.file;
      line = error.line ?? error.lineNumber ?? top?.line;
      column = error.column ?? error.columnNumber ?? top?.column;
    } catch {
      return {
        message: toText(value),
        url: '',
        stackTrace: [],
        cause: '',
        line: null,
        column: null,
      };
    }
    if (!message && !stackTrace.length && !('message' in error)) message = toText(value);
    return {
      message,
      url: toText(url),
      stackTrace,
      cause: describeCause(cause),
      line: toWholeNumber(line),
      column: toWholeNumber(column),
    };
  }
  return { message: toText(value), url: '', stackTrace: [], cause: '', line: null, column: null };
}

function describeCause(cause: unknown): string {
  if (cause == null) return '';
  if (cause instanceof Error) return cause.name + ': ' + cause.message;
  return toText(cause);
}
