import { install } from './agent';
import { readScriptOptions } from './dropin/readScriptOptions';
import type { Agent, AgentOptions } from './types';

// The drop-in <script>: installs itself on load and defines window.loupe. Settings come from the
// script tag's data-* attributes, and from window.loupeOptions (for what attributes cannot hold:
// functions such as beforeSend, RegExps) when the page set it before the script ran. Calls and errors that the inline snippet queued before the
// script arrived are replayed; a second copy of the script finds the agent and does nothing.

/** What the inline snippet leaves in window.loupe: queued calls, and events with no method name. */
interface SnippetStub {
  q?: Array<[string, ArrayLike<unknown> | Event]>;
  propagateOnError?: boolean;
}

declare global {
  interface Window {
    loupe?: Agent | SnippetStub;
    /** Options for the drop-in script, set before it runs; they win over its data-* attributes. */
    loupeOptions?: AgentOptions;
  }
}

if (typeof window === 'object' && !(window.loupe as Agent | undefined)?.install) {
  const stub = (window.loupe ?? {}) as SnippetStub;
  const queue = stub.q ?? [];
  const agent = (window.loupe = install({
    ...readScriptOptions((document.currentScript as HTMLScriptElement | null)?.dataset),
    ...window.loupeOptions,
    earlyErrors: queue.flatMap(([method, event]) => (method ? [] : [event as Event])),
  }));
  if (typeof stub.propagateOnError === 'boolean') agent.propagateOnError = stub.propagateOnError;
  for (const [method, args] of queue) {
    try {
      if (method)
        (agent[method as 'information'] as (...a: unknown[]) => void)(...(args as unknown[]));
    } catch {}
  }
}
