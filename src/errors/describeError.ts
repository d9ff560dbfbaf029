import type { WriteArguments } from '../message/createMessage';
import { createException } from '../message/exception';
import { toWholeNumber } from '../message/methodSourceInfo';
import { topStackFrame } from '../message/stackFrame';
import { toText } from '../message/toJsonText';

/** Where the browser says an error happened: the place fields of an `ErrorEvent`. */
export interface ErrorPlace {
  filename?: unknown;
  lineno?: unknown;
  colno?: unknown;
}

/**
 * The log arguments for a thrown value, a rejection reason or a recorded error: category
 * `JavaScript`; an Error's name as caption, else `otherCaption`; the message (or the value as
 * text: "null", "42", JSON for objects) as description; the exception; the top stack frame as
 * source. `place` stands in for the place when the value carries none (a thrown string).
 */
export function describeError(
  value: unknown,
  otherCaption: string,
  place: ErrorPlace = {},
): WriteArguments {
  const exception = createException(value);
  let caption = otherCaption;
  let description = exception.message || toText(value) || String(value);
  try {
    if (value instanceof Error) {
      caption = toText(value.name) || caption;
      description = toText(value.message);
    }
  } catch {}
  exception.message = description;
  if (!exception.url) {
    exception.url = toText(place.filename);
    exception.line = toWholeNumber(place.lineno);
    exception.column = toWholeNumber(place.colno);
  }
  const source =
    topStackFrame(exception.stackTrace) || (exception.url && { ...exception, file: exception.url });
  return ['JavaScript', caption, description, null, exception, null, source];
}
