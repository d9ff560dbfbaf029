import type { AgentContext } from '../context';
import { type RequestPlan, createOriginPolicy } from './originPolicy';

/** Plans a request from its URL as the app gave it; undefined means: leave it alone. */
export type RequestPlanner = (url: string) => RequestPlan | undefined;

/** The origin policy for this page and agent, with the agent's current session ids. */
export function createRequestPlanner(context: AgentContext): RequestPlanner {
  const { scope } = context;
  return createOriginPolicy({
    pageOrigin: scope.location.origin,
    baseUrl: () => scope.document.baseURI,
    logOrigin: context.logOrigin,
    propagateTo: context.options.propagateTo,
    headers() {
      const headers: Array<[string, string]> = [['loupe-agent-sessionId', context.agentSessionId]];
      const id = context.explicitSessionId();
      // The server reads this header before the cookie, so it goes out only to override it.
      if (id) headers.push(['LoupeSessionId', id]);
      return headers;
    },
  });
}
