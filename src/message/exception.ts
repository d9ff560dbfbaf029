import type { LogException } from '../types';
import { toWholeNumber } from './methodSourceInfo';
import { stackLines, topStackFrame } from './stackFrame';
import { toText } from './toJsonText';

/** Where the browser says an error happened: the place fields of an `ErrorEvent`. */
export interface ErrorPlace {
  filename?: unknown;
  lineno?: unknown;
  colno?: unknown;
}

/**
 * What an `exception` argument or a thrown value says, in the contract's shape. Errors give their
 * message, stack lines, cause (an Error as "Name: message") and place (their own
 * `fileName`/`sourceURL` with their own line and column, else the top frame, else `place`);
 * objects shaped like a `LogException` pass through; any other value becomes the message ("null"
 * for null). Never throws: a getter that throws leaves what was read so far.
 */
export function createException(
  value: unknown,
  { filename: url, lineno: line, colno: column }: ErrorPlace = {},
): LogException {
  // Primitives read as their wrapper object: they have none of the properties read below.
  const error = Object(value);
  let message = toText(value ?? String(value));
  let stackTrace: string[] = [];
  let cause;
  try {
    // The message first: an Error whose stack cannot be read still has it.
    if ('message' in error) message = toText(error.message);
    stackTrace = Array.isArray(error.stackTrace)
      ? error.stackTrace.map(toText)
      : stackLines(error.stack);
    const top = topStackFrame(stackTrace);
    const file = error.url ?? error.fileName ?? error.sourceURL;
    // Line and column come from where the file came from. WebKit gives code run by eval or
    // new Function a line and column inside that code but no sourceURL: its place is then the
    // top frame's, the call that ran the code.
    if (file != null) {
      url = file;
      line = error.line ?? error.lineNumber;
      column = error.column ?? error.columnNumber;
    } else if (top) ({ file: url, line, column } = top);
    cause = error.cause;
  } catch {}
  return {
    message,
    url: toText(url),
    stackTrace,
    cause: toText(cause),
    line: toWholeNumber(line),
    column: toWholeNumber(column),
  };
}
