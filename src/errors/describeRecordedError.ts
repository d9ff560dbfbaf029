import type { WriteArguments } from '../message/createMessage';
import { describeError } from './describeError';

/** The log arguments of `recordException`: an error described as uncaught ones are, with the app's details and category. */
export function describeRecordedError(
  error: unknown,
  details?: unknown,
  category?: string,
): WriteArguments {
  const args = describeError(error, 'Error');
  if (category) args[0] = category;
  args[5] = details;
  return args;
}
