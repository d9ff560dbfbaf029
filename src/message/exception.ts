import type { LogException } from '../types';
import { toWholeNumber } from './methodSourceInfo';
import { stackLines, topStackFrame } from './stackFrame';
import { toText } from './toJsonText';

/**
 * What an `exception` argument or a thrown value says, in the contract's shape. Errors give their
 * message, stack lines, cause and place (their own `fileName`/`sourceURL`, else the top frame);
 * objects shaped like a `LogException` pass through; any other value becomes the message. Never
 * throws: a getter that throws leaves what was read so far.
 */
export function createException(value: unknown): LogException {
  const exception: LogException = {
    message: toText(value),
    url: '',
    stackTrace: [],
    cause: '',
    line: null,
    column: null,
  };
  if (value && typeof value === 'object') {
    const error = value as Record<string, unknown>;
    try {
      const stackTrace = Array.isArray(error.stackTrace)
        ? error.stackTrace.map(toText)
        : stackLines(error.stack);
      const top = topStackFrame(stackTrace);
      if (stackTrace.length || 'message' in error) exception.message = toText(error.message);
      exception.stackTrace = stackTrace;
      exception.url = toText(error.url ?? error.fileName ?? error.sourceURL ?? top?.file);
      exception.line = toWholeNumber(error.line ?? error.lineNumber ?? top?.line);
      exception.column = toWholeNumber(error.column ?? error.columnNumber ?? top?.column);
      const cause = error.cause;
      exception.cause = cause instanceof Error ? cause.name + ': ' + cause.message : toText(cause);
    } catch {}
  }
  return exception;
}
