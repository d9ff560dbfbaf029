import type { ClientDescription } from '../server/index';
import type { AgentSessionSummary, SessionSummary } from './types';

/** What was stored under one (session id, agent session id) pair, counted. */
export interface PairSummary {
  sessionId: string | null;
  agentSessionId: string | null;
  firstSeen: number;
  lastSeen: number;
  messages: number;
  errors: number;
  requests: number;
}

/**
 * Groups the pairs into sessions. A tab (agent session) links every session id it was seen
 * with: a page that calls `setSessionId()` halfway sends its earlier messages and requests under
 * the cookie's session id and the later ones under its own, and both belong to one session.
 * What a tab sent without any session id joins that tab's session. The rest, with no session id
 * and no tab that has one, is the uncorrelated group (`id` null).
 *
 * A session's `id` is the first of its ids to be seen, so it stays the same as later ids join;
 * `ids` lists them all, oldest first.
 */
export function linkSessions(
  pairs: readonly PairSummary[],
  clients: ReadonlyMap<string, ClientDescription> = new Map(),
): SessionSummary[] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    for (
      let next = parent.get(root);
      next !== undefined && next !== root;
      next = parent.get(root)
    ) {
      root = next;
    }
    parent.set(id, root);
    return root;
  };
  const sessionOfTab = new Map<string, string>();
  for (const pair of pairs) {
    if (pair.sessionId === null) continue;
    if (!parent.has(pair.sessionId)) parent.set(pair.sessionId, pair.sessionId);
    if (pair.agentSessionId === null) continue;
    const linked = sessionOfTab.get(pair.agentSessionId);
    if (linked === undefined) sessionOfTab.set(pair.agentSessionId, pair.sessionId);
    else parent.set(find(pair.sessionId), find(linked));
  }

  interface Group {
    firstSeenOf: Map<string, number>;
    tabs: Map<string | null, AgentSessionSummary>;
  }
  const groups = new Map<string | null, Group>();
  for (const pair of pairs) {
    const tabSession =
      pair.agentSessionId === null ? undefined : sessionOfTab.get(pair.agentSessionId);
    const anchor = pair.sessionId ?? tabSession;
    const root = anchor === undefined ? null : find(anchor);
    let group = groups.get(root);
    if (!group) groups.set(root, (group = { firstSeenOf: new Map(), tabs: new Map() }));
    if (pair.sessionId !== null) {
      const seen = group.firstSeenOf.get(pair.sessionId);
      group.firstSeenOf.set(pair.sessionId, Math.min(seen ?? Infinity, pair.firstSeen));
    }
    const tab = group.tabs.get(pair.agentSessionId);
    if (tab) {
      tab.firstSeen = Math.min(tab.firstSeen, pair.firstSeen);
      tab.lastSeen = Math.max(tab.lastSeen, pair.lastSeen);
      tab.messages += pair.messages;
      tab.errors += pair.errors;
      tab.requests += pair.requests;
    } else {
      group.tabs.set(pair.agentSessionId, {
        id: pair.agentSessionId,
        firstSeen: pair.firstSeen,
        lastSeen: pair.lastSeen,
        messages: pair.messages,
        errors: pair.errors,
        requests: pair.requests,
        client: (pair.agentSessionId !== null && clients.get(pair.agentSessionId)) || null,
      });
    }
  }

  const sessions = [...groups.values()].map(({ firstSeenOf, tabs }): SessionSummary => {
    const ids = [...firstSeenOf].sort((a, b) => a[1] - b[1]).map(([id]) => id);
    const agentSessions = [...tabs.values()].sort((a, b) => a.firstSeen - b.firstSeen);
    const sum = (key: 'messages' | 'errors' | 'requests') =>
      agentSessions.reduce((total, tab) => total + tab[key], 0);
    return {
      id: ids[0] ?? null,
      ids,
      firstSeen: Math.min(...agentSessions.map((tab) => tab.firstSeen)),
      lastSeen: Math.max(...agentSessions.map((tab) => tab.lastSeen)),
      messages: sum('messages'),
      errors: sum('errors'),
      requests: sum('requests'),
      agentSessions,
    };
  });
  return sessions.sort((a, b) => b.lastSeen - a.lastSeen);
}
