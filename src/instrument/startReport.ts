import type { AgentContext } from '../context';

/**
 * Start timing an app request for `context.requestFinished`. Undefined when nobody listens, so
 * the patches add no completion tracking.
 */
export function startReport(
  context: AgentContext,
  kind: 'fetch' | 'xhr',
  method: string,
  url: string,
): ((status: number, aborted: boolean) => void) | undefined {
  const finished = context.requestFinished;
  const start = Date.now();
  return (
    finished &&
    ((status, aborted) => {
      try {
        finished({
          kind,
          method: method.toUpperCase(),
          url,
          status,
          duration: Date.now() - start,
          aborted,
        });
      } catch {}
    })
  );
}
