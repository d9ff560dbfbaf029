import { expect, it } from 'vitest';
import { type PairSummary, linkSessions } from '../../demo/linkSessions';

const pair = (
  sessionId: string | null,
  agentSessionId: string | null,
  firstSeen: number,
  lastSeen = firstSeen,
  counts: Partial<Pick<PairSummary, 'messages' | 'errors' | 'requests'>> = {},
): PairSummary => ({
  sessionId,
  agentSessionId,
  firstSeen,
  lastSeen,
  messages: 1,
  errors: 0,
  requests: 0,
  ...counts,
});

it('links what a tab sent before and after setSessionId() into one session', () => {
  const sessions = linkSessions([
    pair('cookie-1', 'tab-1', 100, 200, { messages: 2, requests: 1 }),
    pair('customer-42', 'tab-1', 300, 400, { messages: 3, errors: 1 }),
  ]);
  expect(sessions).toHaveLength(1);
  expect(sessions[0]).toMatchObject({
    id: 'cookie-1',
    ids: ['cookie-1', 'customer-42'],
    firstSeen: 100,
    lastSeen: 400,
    messages: 5,
    errors: 1,
    requests: 1,
    agentSessions: [{ id: 'tab-1', firstSeen: 100, lastSeen: 400, messages: 5, requests: 1 }],
  });
});

it('links through every tab: a session shared by two tabs, one of which set its own id', () => {
  const sessions = linkSessions([
    pair('customer-42', 'tab-2', 50),
    pair('cookie-1', 'tab-1', 100),
    pair('cookie-1', 'tab-2', 150),
    pair('customer-7', 'tab-1', 300),
    pair('other', 'tab-3', 500),
  ]);
  expect(sessions.map((session) => session.ids)).toEqual([
    ['other'],
    ['customer-42', 'cookie-1', 'customer-7'],
  ]);
  expect(sessions[1]!.agentSessions.map((tab) => tab.id)).toEqual(['tab-2', 'tab-1']);
});

it('puts what a tab sent without a session id into its session, the rest in the uncorrelated group', () => {
  const sessions = linkSessions([
    pair(null, 'tab-1', 10, 10, { messages: 0, requests: 1 }),
    pair('cookie-1', 'tab-1', 20),
    pair('cookie-1', null, 5, 5, { messages: 0, requests: 1 }),
    pair(null, null, 30, 30, { messages: 0, requests: 2 }),
    pair(null, 'tab-9', 40),
  ]);
  expect(sessions).toEqual([
    expect.objectContaining({
      id: null,
      ids: [],
      messages: 1,
      requests: 2,
      agentSessions: [
        expect.objectContaining({ id: null, requests: 2 }),
        expect.objectContaining({ id: 'tab-9', messages: 1 }),
      ],
    }),
    expect.objectContaining({
      id: 'cookie-1',
      messages: 1,
      requests: 2,
      agentSessions: [
        expect.objectContaining({ id: null, requests: 1 }),
        expect.objectContaining({ id: 'tab-1', messages: 1, requests: 1 }),
      ],
    }),
  ]);
});

it('keeps sessions without a common tab apart, newest activity first, with their clients', () => {
  const client = { ua: 'Firefox/140' };
  const sessions = linkSessions(
    [pair('a', 'tab-a', 1, 5), pair('b', 'tab-b', 2, 9)],
    new Map([['tab-b', client as never]]),
  );
  expect(sessions.map((session) => [session.id, session.agentSessions[0]!.client])).toEqual([
    ['b', client],
    ['a', null],
  ]);
});
