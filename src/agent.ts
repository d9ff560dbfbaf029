import { v4 as newUuid } from 'uuid';
import type { AgentContext, Scope } from './context';
import { type DeliveryContext, MAX_MESSAGE_BYTES, createDelivery } from './delivery/createDelivery';
import { installErrorCapture, recordError } from './errors/installErrorCapture';
import { installRequestPatches } from './instrument/installRequestPatches';
import { type JQueryAjax, registerJQueryPrefilter } from './instrument/jquery';
import { type WriteArguments, createMessage } from './message/createMessage';
import { MethodSourceInfo } from './message/methodSourceInfo';
import { serializeWithinBudget } from './message/sizeBudget';
import { createTimeStamper } from './message/timeStamp';
import { toText } from './message/toJsonText';
import { openAgentSession } from './session/agentSession';
import { readSessionCookie } from './session/sessionCookie';
import { logMessageSeverity } from './severity';
import type { Agent, AgentOptions, Severity } from './types';
import { observePageLifecycle } from './lifecycle/observePageLifecycle';
import type { Restore } from './util/patch';
import { openStorage } from './util/safeStorage';

/**
 * Create an agent. It can log and send at once; `install()` hooks it into the page (request
 * headers, error capture, page-exit delivery). Outside a browser it is inert.
 */
export function createAgent(options: AgentOptions = {}): Agent {
  const scope: Scope | undefined =
    typeof window == 'object' && typeof document == 'object' ? window : undefined;
  const debug = (text: string) => options.debug && console.info('[loupe-agent] ' + text);
  // Called without arguments where the build can see it: the minifier then drops what v4() does
  // with a caller's buffer or random bytes.
  const session = openAgentSession(openStorage(scope, 'sessionStorage'), () => newUuid());
  const customHeaders: Array<[string, string]> = [];
  const tracked: Array<[string, Restore]> = [];
  const pageOrigin = scope?.location.origin ?? '';
  let explicitSessionId = '';
  let cookieSessionId = readSessionCookie(scope);
  let cookieReadAt = Date.now();
  let logBase = pageOrigin;
  let logOrigin = pageOrigin;
  let credentials = !!options.credentials;
  let installed = false;
  const timeStamp = createTimeStamper();

  const sessionId = () => explicitSessionId || cookieSessionId;
  // Read on every app request: rebuilt only when setSessionId changes it.
  let correlation: Array<[string, string]> = [['loupe-agent-sessionId', session.id]];

  // `limit` is left out by every caller but the one below: the short notice that replaces a
  // message too big even without its details is queued whatever its size, never replaced again.
  const write = (
    severity: Severity,
    args: WriteArguments,
    limit = Math.min(options.maxMessageSize ?? MAX_MESSAGE_BYTES, MAX_MESSAGE_BYTES),
  ): void => {
    if (!scope) return;
    try {
      reportDropped();
      const now = Date.now();
      // The cookie is read at most once a second: reading document.cookie is slow.
      if (now - cookieReadAt > 1000) {
        cookieReadAt = now;
        cookieSessionId = readSessionCookie(scope);
      }
      const message = createMessage(
        severity,
        args,
        timeStamp(now),
        session.nextSequence(),
        session.id,
        sessionId(),
      );
      const fitted = serializeWithinBudget(message, limit);
      if (fitted) sender.enqueue(...fitted);
      else {
        write(
          4,
          [
            'Loupe',
            'Message dropped',
            `Category "${message.category.slice(0, 99)}", caption "${message.caption.slice(0, 99)}": over ${limit} bytes even without details.`,
          ],
          1 / 0,
        );
      }
    } catch (error) {
      debug('could not log: ' + toText(error));
    }
  };
  // What the agent's parts (request patches, error capture) and its delivery share.
  const context: AgentContext & DeliveryContext = {
    scope: scope as Scope,
    options,
    correlationHeaders: () => correlation,
    logOrigin: () => logOrigin,
    write,
    propagateOnError: () => agent.propagateOnError,
    track: (name, restore) => restore && tracked.push([name, restore]),
    debug,
    agentSessionId: session.id,
    fetch: scope?.fetch,
    endpoint: () => logBase + '/loupe/log',
    headers: () => Object.fromEntries(correlation.concat(customHeaders)),
    credentials: () => (credentials ? 'include' : 'same-origin'),
    envelope: () =>
      JSON.stringify({
        session: {
          currentAgentSessionId: session.id,
          client: {
            ua: scope?.navigator.userAgent,
            size: {
              width: (scope?.innerWidth as number) | 0,
              height: (scope?.innerHeight as number) | 0,
            },
          },
        },
      }).slice(0, -1) + ',"logMessages":[',
  };
  const sender = createDelivery(context);
  // Delivery counts what it drops; the counts go out ahead of the next message, or at page exit.
  const reportDropped = () => {
    const dropped = sender.takeDropped();
    for (const why in dropped)
      write(4, [
        'Loupe',
        'Messages dropped',
        dropped[why] + ' log messages were dropped: ' + why + '.',
      ]);
  };

  const logAt =
    (severity: Severity) =>
    (...args: WriteArguments) =>
      write(severity, args);

  const agent: Agent = {
    verbose: logAt(16),
    information: logAt(8),
    warning: logAt(4),
    error: logAt(2),
    critical: logAt(1),
    // createMessage reads the severity: a name, a number, or anything else as information.
    write: (severity, ...args: WriteArguments) => write(severity as Severity, args),
    recordException: (error, details, category) => recordError(context, error, details, category),
    setSessionId(id) {
      explicitSessionId = toText(id);
      correlation = correlation.slice(0, 1);
      if (explicitSessionId) correlation.push(['LoupeSessionId', explicitSessionId]);
    },
    clientSessionHeader: () => ({ headerName: 'loupe-agent-sessionId', headerValue: session.id }),
    setLogServer(url, withCredentials) {
      logBase = toText(url).replace(/\/+$/, '') || pageOrigin;
      try {
        logOrigin = new URL(logBase, scope?.location.href).origin;
      } catch {
        logOrigin = pageOrigin;
      }
      if (withCredentials != null) credentials = !!withCredentials;
    },
    corsOrigin: (url) => agent.setLogServer(url),
    registerJQuery: (jQuery) =>
      installed &&
      options.propagate !== false &&
      registerJQueryPrefilter(context, jQuery as JQueryAjax),
    addHeader(header) {
      if (header?.name) customHeaders.push([toText(header.name), toText(header.value)]);
    },
    propagateOnError: options.propagateOnError ?? true,
    logMessageSeverity,
    MethodSourceInfo,
    install() {
      if (!scope) debug('not installed: no browser window');
      if (installed || !scope) return agent;
      installed = true;
      session.reclaim();
      tracked.push(
        // Uninstalled, the page no longer holds the tab's session: its next page keeps the id.
        ['', session.release],
        ['', sender.start()],
        [
          '',
          observePageLifecycle(scope, [
            (event) => event == 'exit' && reportDropped(),
            (event) => event == 'restore' && session.reclaim(true),
            sender.onPage,
            (event) => event == 'exit' && session.release(),
          ]),
        ],
      );
      if (options.propagate !== false || options.captureFailedRequests !== false) {
        installRequestPatches(context);
      }
      installErrorCapture(context);
      debug('installed: ' + agent.diagnostics().patches.join(', '));
      return agent;
    },
    uninstall() {
      if (!installed) return;
      installed = false;
      while (tracked.length) {
        try {
          tracked.pop()![1]();
        } catch {}
      }
      sender.stop();
      debug('uninstalled');
    },
    flush: () => sender.flush(),
    diagnostics: () => ({
      agentSessionId: session.id,
      sessionId: sessionId(),
      logServer: logBase,
      installed,
      patches: tracked.map(([name]) => name).filter(Boolean),
      queued: sender.queued(),
    }),
  };

  if (options.logServer) agent.setLogServer(options.logServer);
  return agent;
}

/** Create an agent and install it: the one call a bundled app needs. */
export function install(options?: AgentOptions): Agent {
  return createAgent(options).install();
}
