import type { Scope } from '../../src/context';
import { createDelivery } from '../../src/delivery/createDelivery';
import type { DeliveryContext } from '../../src/delivery/delivery';
import { observePageLifecycle } from '../../src/lifecycle/observePageLifecycle';
import type { AgentOptions } from '../../src/types';

/** A request as it left the fake page: fetch or beacon. */
export interface SentRequest {
  kind: 'fetch' | 'beacon';
  /** What the fake server answered (beacons: 204). */
  status: number;
  body: string;
  bytes: number;
  keepalive: boolean;
  at: number;
  messages: Array<{ sequence: number; agentSessionId: string; caption: string }>;
}

/** An in-memory Storage; `full` makes writes throw like a full quota. */
export function createMemoryStorage() {
  const map = new Map<string, string>();
  const storage = {
    full: false,
    map,
    get length() {
      return map.size;
    },
    key: (index: number) => [...map.keys()][index] ?? null,
    getItem: (key: string) => map.get(key) ?? null,
    setItem(key: string, value: string) {
      if (storage.full) throw new DOMException('full', 'QuotaExceededError');
      map.set(key, String(value));
    },
    removeItem: (key: string) => void map.delete(key),
    clear: () => map.clear(),
  };
  return storage;
}

type Answer = number | [number, Record<string, string>];
export type Responder = (request: SentRequest) => Answer | Promise<Answer>;

/**
 * A delivery queue in a fake page (an EventTarget with navigator, document and optionally
 * localStorage), whose fetch and sendBeacon record what they are given.
 */
export function createHarness(
  options: AgentOptions = {},
  {
    respond = () => 204,
    storage,
    sent = [],
    id = 'agent-1',
    beacon = true,
    beaconAccepts = true,
    endpoint = () => 'https://app.example/loupe/log',
  }: {
    respond?: Responder;
    storage?: ReturnType<typeof createMemoryStorage>;
    sent?: SentRequest[];
    id?: string;
    beacon?: boolean;
    beaconAccepts?: boolean;
    /** The log endpoint; `''` while no usable log server is set. */
    endpoint?: () => string;
  } = {},
) {
  const reports: string[] = [];
  const record = (kind: SentRequest['kind'], body: string, keepalive: boolean): SentRequest => {
    const request: SentRequest = {
      kind,
      status: 204,
      body,
      bytes: Buffer.byteLength(body),
      keepalive,
      at: Date.now(),
      messages: JSON.parse(body).logMessages,
    };
    sent.push(request);
    return request;
  };
  const navigator = {
    onLine: true,
    locks: undefined,
    sendBeacon: beacon
      ? (_url: string, body: string) => {
          if (!beaconAccepts || Buffer.byteLength(body) > 65536) return false;
          record('beacon', body, true);
          return true;
        }
      : undefined,
  };
  const document = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  const scope = Object.assign(new EventTarget(), {
    navigator,
    document,
    localStorage: storage,
  }) as unknown as Scope;
  const fetch = (async (_url: string, init: RequestInit) => {
    const request = record('fetch', init.body as string, !!init.keepalive);
    const answer = await respond(request);
    const [status, headers] = typeof answer === 'number' ? [answer, {}] : answer;
    request.status = status;
    if (!status) throw new TypeError('Failed to fetch');
    return new Response(null, { status, headers });
  }) as typeof globalThis.fetch;
  let sequence = 0;
  const context: DeliveryContext = {
    scope,
    pageFetch: fetch,
    options,
    owner: id,
    endpoint,
    headers: () => ({ 'loupe-agent-sessionId': id }),
    requestCredentials: () => 'same-origin',
    beaconable: () => true,
    envelope: () =>
      JSON.stringify({ session: { currentAgentSessionId: id } }).slice(0, -1) + ',"logMessages":[',
    debug: () => {},
  };
  const delivery = createDelivery(context);
  observePageLifecycle(scope, [delivery.onPage]);
  // As the agent does: what delivery dropped is reported as a message at the next log call.
  const reportDropped = () => {
    const dropped = delivery.takeDropped();
    for (const why in dropped) {
      const text = dropped[why] + ' log messages were dropped: ' + why + '.';
      reports.push(text);
      log('Loupe: ' + text);
    }
  };
  const log = (caption: string, padding = 0) => {
    reportDropped();
    const json = JSON.stringify({
      severity: 8,
      category: 'Test',
      caption,
      description: 'x'.repeat(padding),
      timeStamp: new Date().toISOString(),
      sequence: ++sequence,
      agentSessionId: id,
    });
    delivery.enqueue(json, Buffer.byteLength(json));
  };
  return {
    delivery,
    scope,
    navigator,
    document,
    sent,
    reports,
    log,
    /** Captions of every message sent, in order, failed attempts included. */
    captions: () => sent.flatMap((request) => request.messages.map((message) => message.caption)),
    /** Captions of the messages the server accepted, in order. */
    delivered: () =>
      sent
        .filter((request) => request.status >= 200 && request.status < 300)
        .flatMap((request) => request.messages.map((message) => message.caption)),
  };
}
