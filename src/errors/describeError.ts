import type { WriteArguments } from '../message/createMessage';
import { createException, type ErrorPlace } from '../message/exception';
import { topStackFrame } from '../message/stackFrame';
import { toText } from '../message/toJsonText';

/**
 * The log arguments for a thrown value, a rejection reason or a recorded error: category
 * `JavaScript`; an Error's name as caption, else `caption`; the exception's message (for other
 * values the value as text: "null", "42", JSON for objects) as description; the exception; the
 * top stack frame as source, and the exception's URL left empty for assembly to fill with the page's. `place` stands in for the place when the value carries none (a
 * thrown string).
 */
export const describeError = (
  value: unknown,
  caption: string,
  place?: ErrorPlace,
): WriteArguments => {
  const exception = createException(value, place);
  try {
    if (value instanceof Error) caption = toText(value.name) || caption;
  } catch {}
  const source =
    topStackFrame(exception.stackTrace) || (exception.url && { ...exception, file: exception.url });
  // Assembly gives the exception the page's URL, as the older agents sent it; the script's file
  // stays in the stack and in the source.
  exception.url = '';
  return ['JavaScript', caption, exception.message, null, exception, null, source];
};
