import { v4 as newUuid } from 'uuid';
import type { AgentContext, Scope } from './context';
import { type WriteArguments, createMessage } from './message/createMessage';
import { MethodSourceInfo } from './message/methodSourceInfo';
import { serializeWithinBudget, utf8Length } from './message/sizeBudget';
import { toText } from './message/toJsonText';
import { openAgentSession } from './session/agentSession';
import { readSessionCookie } from './session/sessionCookie';
import { logMessageSeverity, toSeverity } from './severity';
import { createDelivery } from './delivery/createDelivery';
import type { Agent, AgentOptions, Header, Severity } from './types';
import { type Restore, listen } from './util/patch';
import { openStorage } from './util/safeStorage';
import { installRequestPatches } from './instrument/installRequestPatches';
import { installErrorCapture, recordError } from './errors/installErrorCapture';

const DEFAULT_MAX_MESSAGE_SIZE = 60 * 1024;
const COOKIE_REFRESH_MS = 1000;

/**
 * Create an agent. It can log and send at once; `install()` hooks it into the page (request
 * headers, error capture, page-exit delivery). Outside a browser it is inert.
 */
export function createAgent(options: AgentOptions = {}): Agent {
  const scope: Scope | undefined =
    typeof window === 'object' && window && typeof document === 'object' ? window : undefined;
  const debug = (text: string) => {
    if (options.debug) console.info('[loupe-agent] ' + text);
  };
  const session = openAgentSession(openStorage(scope, 'sessionStorage'), newUuid);
  const customHeaders: Header[] = [];
  const tracked: Array<[string, Restore]> = [];
  let explicitSessionId = '';
  let cookieSessionId = readSessionCookie(scope);
  let cookieReadAt = Date.now();
  let logServer = '';
  let credentials = !!options.credentials;
  let installed = false;

  const pageOrigin = () => {
    try {
      return scope?.location.origin ?? '';
    } catch {
      return '';
    }
  };
  const sessionId = () => explicitSessionId || cookieSessionId;
  const logBase = () => logServer || pageOrigin();
  const logOrigin = () => {
    try {
      return new URL(logBase(), scope?.location.href).origin;
    } catch {
      return pageOrigin();
    }
  };
  const correlationHeaders = (): Record<string, string> => {
    const headers: Record<string, string> = { 'loupe-agent-sessionId': session.id };
    if (explicitSessionId) headers.LoupeSessionId = explicitSessionId;
    return headers;
  };
  const envelope = () => {
    const size = { width: 0, height: 0 };
    let ua = '';
    try {
      size.width = Math.round(scope?.innerWidth || 0);
      size.height = Math.round(scope?.innerHeight || 0);
      ua = scope?.navigator.userAgent ?? '';
    } catch {}
    const head = JSON.stringify({
      session: { currentAgentSessionId: session.id, client: { ua, size } },
    });
    return head.slice(0, -1) + ',"logMessages":[';
  };

  const sender = createDelivery({
    scope: scope as Scope,
    options,
    agentSessionId: session.id,
    fetch: scope?.fetch,
    endpoint: () => logBase() + '/loupe/log',
    headers: () => {
      const headers = correlationHeaders();
      for (const header of customHeaders) headers[header.name] = header.value;
      return headers;
    },
    credentials: () => (credentials ? 'include' : 'same-origin'),
    envelope,
    report: (text) => write(4, ['Loupe', 'Messages dropped', text]),
    debug,
  });

  const write = (severity: Severity, args: WriteArguments): void => {
    if (!scope) return;
    try {
      const time = new Date();
      if (time.getTime() - cookieReadAt > COOKIE_REFRESH_MS) {
        cookieReadAt = time.getTime();
        cookieSessionId = readSessionCookie(scope);
      }
      const stamp = {
        sequence: session.nextSequence(),
        agentSessionId: session.id,
        sessionId: sessionId(),
        time,
      };
      const message = createMessage(severity, args, stamp);
      const limit = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
      const json = serializeWithinBudget(message, limit);
      if (json !== undefined) {
        sender.enqueue(json, utf8Length(json));
        return;
      }
      const dropped = createMessage(
        4,
        [
          'Loupe',
          'Message dropped',
          'A log message (category "' +
            message.category.slice(0, 100) +
            '", caption "' +
            message.caption.slice(0, 100) +
            '") was larger than ' +
            limit +
            ' bytes even without its details, so it was dropped.',
        ],
        { ...stamp, sequence: session.nextSequence() },
      );
      const droppedJson = JSON.stringify(dropped);
      sender.enqueue(droppedJson, utf8Length(droppedJson));
    } catch (error) {
      debug('could not log a message: ' + toText(error));
    }
  };

  const logAt =
    (severity: Severity) =>
    (...args: WriteArguments): void =>
      write(severity, args);

  const agent: Agent = {
    verbose: logAt(16),
    information: logAt(8),
    warning: logAt(4),
    error: logAt(2),
    critical: logAt(1),
    write: (severity, ...args: WriteArguments) => write(toSeverity(severity), args),
    recordException: (error, details, category) => recordError(context, error, details, category),
    setSessionId(id) {
      explicitSessionId = toText(id);
    },
    clientSessionHeader: () => ({ headerName: 'loupe-agent-sessionId', headerValue: session.id }),
    setLogServer(url, withCredentials) {
      logServer = toText(url).replace(/\/+$/, '');
      if (withCredentials !== undefined) credentials = !!withCredentials;
    },
    corsOrigin: (url) => agent.setLogServer(url),
    addHeader(header) {
      if (header && header.name)
        customHeaders.push({ name: toText(header.name), value: toText(header.value) });
    },
    propagateOnError: options.propagateOnError ?? true,
    logMessageSeverity,
    MethodSourceInfo,
    install() {
      if (installed || !scope) {
        if (!scope) debug('not installed: there is no browser window here');
        return agent;
      }
      installed = true;
      session.reclaim();
      context.track(
        '',
        listen(scope, 'pagehide', () => session.release()),
      );
      context.track(
        '',
        listen(scope, 'pageshow', (event: PageTransitionEvent) => {
          if (event.persisted) session.reclaim();
        }),
      );
      context.track('', sender.start());
      if (options.propagate !== false) installRequestPatches(context);
      installErrorCapture(context);
      debug('installed' + (tracked.length ? ': ' + agent.diagnostics().patches.join(', ') : ''));
      return agent;
    },
    uninstall() {
      if (!installed) return;
      installed = false;
      while (tracked.length) {
        try {
          (tracked.pop() as [string, Restore])[1]();
        } catch {}
      }
      sender.stop();
      debug('uninstalled');
    },
    flush: () => sender.flush(),
    diagnostics: () => ({
      agentSessionId: session.id,
      sessionId: sessionId(),
      logServer: logBase(),
      installed,
      patches: tracked.map(([name]) => name).filter(Boolean),
      queued: sender.queued(),
    }),
  };

  const context: AgentContext = {
    scope: scope as Scope,
    options,
    agentSessionId: session.id,
    sessionId,
    explicitSessionId: () => explicitSessionId,
    logEndpoint: () => logBase() + '/loupe/log',
    logOrigin,
    originalFetch: scope?.fetch,
    write,
    propagateOnError: () => agent.propagateOnError,
    track(name, restore) {
      if (restore) tracked.push([name, restore]);
    },
    debug,
  };

  if (options.logServer) agent.setLogServer(options.logServer);
  return agent;
}

/** Create an agent and install it: the one call a bundled app needs. */
export function install(options?: AgentOptions): Agent {
  return createAgent(options).install();
}
