import type { LogBatch, LogRequest, LoupeIds } from './types';

/**
 * The batch handed to the store. A message without its own ids gets the request's: the session id
 * from the header or cookie, the agent session id from the header, else the body's
 * `session.currentAgentSessionId`.
 */
export function createLogBatch(request: LogRequest, ids: LoupeIds, receivedAt: Date): LogBatch {
  const session = request.session ?? undefined;
  const agentSessionId = ids.agentSessionId || session?.currentAgentSessionId || undefined;
  return {
    receivedAt: receivedAt.toISOString(),
    sessionId: ids.sessionId,
    agentSessionId: ids.agentSessionId,
    session,
    messages: request.logMessages.map((message) => {
      const filled = { ...message };
      const sessionId = message.sessionId || ids.sessionId;
      const agent = message.agentSessionId || agentSessionId;
      if (sessionId) filled.sessionId = sessionId;
      if (agent) filled.agentSessionId = agent;
      return filled;
    }),
  };
}
