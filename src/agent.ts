// The order of these imports sets that of the modules in the drop-in script, which gzip
// compresses a few bytes better in this order than in alphabetical order.
import { logMessageSeverity, toSeverity } from './severity';
import { pageRegistry } from './session/pageRegistry';
import { createAssembler } from './assembly/createAssembler';
import type { AgentContext, Scope } from './context';
import { createDelivery } from './delivery/createDelivery';
import { captureFailedRequests } from './errors/captureFailedRequests';
import { createErrorGate } from './errors/createErrorGate';
import { PAGE_ONLY } from './environment';
import { describeRecordedError } from './errors/describeRecordedError';
import { installErrorCapture } from './errors/installErrorCapture';
import { installRequestPatches } from './instrument/installRequestPatches';
import { type JQueryAjax, registerJQueryPrefilter } from './instrument/jquery';
import type { RequestOutcome } from './instrument/requestOutcome';
import { observePageLifecycle } from './lifecycle/observePageLifecycle';
import { createLogServer } from './logServer/createLogServer';
import type { WriteArguments } from './message/createMessage';
import { MethodSourceInfo } from './message/methodSourceInfo';
import { toText } from './message/toJsonText';
import { newUuid } from './session/newUuid';
import type { Agent, AgentOptions, Severity } from './types';
import { attempt } from './util/attempt';
import { createObservable } from './util/createObservable';
import type { Restore } from './util/patch';
import { openStorage } from './util/safeStorage';
import { checkOptions } from './checkOptions';
import { ID_KEY, openAgentSession } from './session/agentSession';
import { createCorrelation } from './session/createCorrelation';

/**
 * Create an agent. It can log and send at once; `install()` hooks it into the page (request
 * headers, error capture, page-exit delivery). Outside a browser it is inert.
 *
 * The wiring of one pipeline: collectors (the log API, error capture, failed requests) → assembly
 * (context, filters, `beforeSend`) → delivery. The page lifecycle reaches every part from one
 * source, in the order written below.
 */
export function createAgent(given: AgentOptions = {}): Agent {
  const options = checkOptions(given);
  const scope: Scope | undefined =
    PAGE_ONLY || (typeof window == 'object' && typeof document == 'object') ? window : undefined;
  const debug = (text: string) => options.debug && console.info('[loupe-agent] ' + text);
  const registry = pageRegistry();
  // The tab's stored session belongs to one agent of the page: another agent made in the same
  // page gets an id of its own, kept in memory only.
  const tabSession = openStorage(scope, 'sessionStorage');
  const taken = registry.session && registry.session == tabSession?.get(ID_KEY);
  const session = openAgentSession(taken ? undefined : tabSession, newUuid);
  if (!taken) registry.session = session.id;
  const warned: Record<string, boolean> = {};
  const correlation = createCorrelation(scope, session.id);
  const logServer = createLogServer(scope, options.credentials);
  // What uninstall undoes, last first, and the names of the patches among it.
  const tracked: Restore[] = [];
  let patches: string[] = [];
  let installed = false;

  // The log server gives delivery its endpoint(), requestCredentials() and beaconable().
  const delivery = createDelivery({
    ...logServer,
    scope: scope as Scope,
    options,
    owner: session.id,
    pageFetch: scope?.fetch,
    headers: () => Object.fromEntries(correlation.headers().concat(logServer.headers())),
    // (Delivery sends only from a page: the page's globals.)
    envelope: () =>
      '{"session":' +
      JSON.stringify({
        currentAgentSessionId: session.id,
        client: {
          ua: navigator.userAgent,
          size: {
            width: innerWidth | 0,
            height: innerHeight | 0,
          },
        },
      }) +
      ',"logMessages":[',
    debug,
  });
  const assembler = createAssembler({
    scope,
    options,
    session,
    sessionId: correlation.sessionId,
    deliver: delivery.enqueue,
    takeDropped: delivery.takeDropped,
  });
  const write = assembler.write;
  const errorGate = createErrorGate(options.errorLimits, write);

  // What the collectors share.
  const context: AgentContext = {
    scope: scope as Scope,
    options,
    correlationHeaders: correlation.headers,
    logOrigin: logServer.logOrigin,
    write,
    propagatesErrors: () => agent.propagateOnError,
    track: (name, restore) => restore && (tracked.push(restore), name && patches.push(name)),
    requestOutcomes: createObservable<RequestOutcome>(),
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
    // Assembly reads the severity: a name, a number, or anything else as information.
    write(severity, ...args: WriteArguments) {
      const name = toText(severity);
      if (toSeverity(severity) == 8 && name != '8' && name != 'information' && !warned[name])
        console.warn(`[loupe-agent] write(${name}): not a severity, logged as information.`);
      warned[name] = true;
      write(severity, args);
    },
    recordException: (...args) => write(2, describeRecordedError(...args)),
    setSessionId: correlation.setSessionId,
    clientSessionHeader: () => ({ headerName: 'loupe-agent-sessionId', headerValue: session.id }),
    setLogServer: logServer.set,
    corsOrigin: (url) => logServer.set(url),
    setContext: assembler.setContext,
    registerJQuery: (jQuery) =>
      installed &&
      options.propagate !== false &&
      registerJQueryPrefilter(context, jQuery as JQueryAjax),
    addHeader: logServer.addHeader,
    propagateOnError: options.propagateOnError ?? true,
    logMessageSeverity,
    MethodSourceInfo,
    install() {
      if (!PAGE_ONLY && !scope) {
        // Said once per process: a server renders many pages.
        if (!registry.told) debug('not installed: no browser window');
        registry.told ||= !!options.debug;
        return agent;
      }
      if (installed) return agent;
      // One installed agent per page, whichever copy of the script installs it: later calls get
      // that one, so that each error is logged once.
      // (Functions and RegExps do not show in JSON: those are not compared.)
      const settings = JSON.stringify({ ...options, earlyErrors: 0 });
      const current = registry.agent;
      if (current) {
        if (registry.settings != settings)
          console.warn(
            '[loupe-agent] An agent is installed on this page already, with other options: install() returns it.',
          );
        return current;
      }
      registry.agent = agent;
      registry.settings = settings;
      installed = true;
      session.reclaim();
      tracked.push(
        delivery.start(),
        // Going away: the counts of what was not logged go out first, then delivery hands over
        // what is queued, then the tab's session is let go. Coming back: the other way round.
        // (Past the check above, the page is there.)
        observePageLifecycle(scope as Scope, [
          (event) =>
            event == 'exit'
              ? (errorGate.reportDropped(), assembler.reportDropped())
              : event == 'restore' && session.reclaim(true),
          delivery.onPage,
          (event) => event == 'exit' && session.letGo(),
        ]),
        errorGate.reportDropped,
      );
      // The request patches serve failed-request capture too.
      if (
        (options.captureFailedRequests !== false &&
          tracked.push(
            captureFailedRequests(
              context.requestOutcomes,
              options.captureFailedRequests,
              errorGate,
            ),
          )) ||
        options.propagate !== false
      )
        installRequestPatches(context);
      if (options.captureErrors !== false) installErrorCapture(context, errorGate);
      debug('installed: ' + patches.join(', '));
      return agent;
    },
    uninstall() {
      if (!installed) return;
      installed = false;
      registry.agent = undefined;
      // The tab's session is free for the next page of the tab, or another agent of this one.
      session.letGo();
      if (registry.session == session.id) registry.session = undefined;
      while (tracked.length) attempt(tracked.pop()!);
      patches = [];
      delivery.stop();
      debug('uninstalled');
    },
    flush: delivery.flush,
    diagnostics: () => ({
      agentSessionId: session.id,
      sessionId: correlation.sessionId(),
      logServer: logServer.baseUrl(),
      installed,
      patches: [...patches],
      queued: delivery.queued(),
      dropped: assembler.droppedCounts(),
    }),
  };

  if (options.logServer) logServer.set(options.logServer);
  return agent;
}

/** Create an agent and install it: the one call a bundled app needs. */
export function install(options?: AgentOptions): Agent {
  return createAgent(options).install();
}
