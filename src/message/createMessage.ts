import { toSeverity } from '../severity';
import type { LogMessage } from '../types';
import { createException } from './exception';
import { toOptionalText, toWholeNumber } from './methodSourceInfo';
import { toJsonSafe, toJsonText, toText } from './toJsonText';

/** The arguments of every legacy log call, after the severity. */
export type WriteArguments = [
  category?: unknown,
  caption?: unknown,
  description?: unknown,
  parameters?: unknown,
  exception?: unknown,
  details?: unknown,
  // Read field by field when it is an object.
  methodSourceInfo?: any,
];

/**
 * Build a contract-shaped message from whatever the app passed, stamped with its writer's time,
 * sequence and ids (`sessionId` is left out when empty, for the server to fill in). Never throws.
 */
export function createMessage(
  severity: unknown,
  [
    category,
    caption,
    description,
    parameters,
    exception,
    details,
    methodSourceInfo,
  ]: WriteArguments,
  timeStamp: string,
  sequence: number,
  agentSessionId: string,
  sessionId: string,
): LogMessage {
  const message: LogMessage = {
    severity: toSeverity(severity),
    category: toText(category),
    caption: toText(caption),
    description: toText(description),
    timeStamp,
    sequence,
    agentSessionId,
  };
  if (sessionId) message.sessionId = sessionId;
  if (parameters != null) {
    message.parameters = (Array.isArray(parameters) ? parameters : [parameters]).map((value) =>
      toJsonSafe(value, 1, []),
    );
  }
  if (exception != null) message.exception = createException(exception);
  // Any value but null and undefined makes (non-empty) JSON text.
  if (details != null) message.details = toDetails(details);
  // Of an object, only the contract's fields, with the contract's types.
  if (methodSourceInfo && typeof methodSourceInfo == 'object')
    message.methodSourceInfo = {
      file: toOptionalText(methodSourceInfo.file),
      class: toOptionalText(methodSourceInfo.class),
      method: toOptionalText(methodSourceInfo.method),
      line: toWholeNumber(methodSourceInfo.line),
      column: toWholeNumber(methodSourceInfo.column),
    };
  return message;
}

/**
 * `details` is always JSON text: JSON strings pass as they are, anything else is serialized. (Null
 * and undefined are no details: the caller leaves them out.)
 */
export function toDetails(details: unknown): string {
  try {
    if (typeof details == 'string') return (JSON.parse(details), details);
  } catch {}
  return toJsonText(details);
}
