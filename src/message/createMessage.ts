import { toSeverity } from '../severity';
import type { LogMessage } from '../types';
import { createException } from './exception';
import { toMethodSourceInfo } from './methodSourceInfo';
import { toJsonSafe, toJsonText, toText } from './toJsonText';

/** The arguments of every legacy log call, after the severity. */
export type WriteArguments = [
  category?: unknown,
  caption?: unknown,
  description?: unknown,
  parameters?: unknown,
  exception?: unknown,
  details?: unknown,
  methodSourceInfo?: unknown,
];

/** Identity of the writer, stamped on every message. */
export interface MessageStamp {
  sequence: number;
  agentSessionId: string;
  sessionId: string;
  /** ISO 8601 with the local offset. */
  timeStamp: string;
}

/** Build a contract-shaped message from whatever the app passed. Never throws. */
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
  stamp: MessageStamp,
): LogMessage {
  const message: LogMessage = {
    severity: toSeverity(severity),
    category: toText(category),
    caption: toText(caption),
    description: toText(description),
    timeStamp: stamp.timeStamp,
    sequence: stamp.sequence,
    agentSessionId: stamp.agentSessionId,
  };
  if (stamp.sessionId) message.sessionId = stamp.sessionId;
  if (parameters != null) {
    message.parameters = (Array.isArray(parameters) ? parameters : [parameters]).map((value) =>
      toJsonSafe(value, 1, []),
    );
  }
  if (exception != null) message.exception = createException(exception);
  const detailsText = toDetails(details);
  if (detailsText !== undefined) message.details = detailsText;
  const source = toMethodSourceInfo(methodSourceInfo);
  if (source) message.methodSourceInfo = source;
  return message;
}

/** `details` is always JSON text: JSON strings pass as they are, other strings are quoted. */
export function toDetails(details: unknown): string | undefined {
  if (details == null) return undefined;
  if (typeof details === 'string') {
    try {
      JSON.parse(details);
      return details;
    } catch {
      return JSON.stringify(details);
    }
  }
  return toJsonText(details);
}
