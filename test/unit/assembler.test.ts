import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAssembler } from '../../src/assembly/createAssembler';
import type { Scope } from '../../src/context';
import { openAgentSession } from '../../src/session/agentSession';
import type { AgentOptions } from '../../src/types';
import { contractProblems } from '../helpers/contract';

/** An assembler in a fake page at `href`, delivering into `sent` (parsed) after a contract check. */
function assemble(options: AgentOptions = {}, href = 'https://shop.example/cart?step=2#top') {
  const sent: any[] = [];
  // The page's address as the agent reads it: document.URL.
  const document = { URL: href };
  let deliveryDrops: Record<string, number> | undefined;
  const assembler = createAssembler({
    scope: { document } as unknown as Scope,
    options,
    session: openAgentSession(undefined, () => 'agent-1'),
    sessionId: () => 'session-1',
    deliver(json, bytes) {
      expect(Buffer.byteLength(json)).toBe(bytes);
      expect(contractProblems(`{"logMessages":[${json}]}`)).toEqual([]);
      sent.push(JSON.parse(json));
    },
    takeDropped: () => {
      const taken = deliveryDrops;
      deliveryDrops = undefined;
      return taken;
    },
  });
  const details = (index: number) => JSON.parse(sent[index].details);
  return {
    ...assembler,
    sent,
    document,
    details,
    dropInDelivery: (counts: Record<string, number>) => (deliveryDrops = counts),
  };
}

afterEach(() => vi.restoreAllMocks());

describe('assembly', () => {
  it('records the page without its fragment, secrets scrubbed, and the release, in details', () => {
    const page = assemble({ release: '2.4.1' }, 'https://shop.example/cart?token=abc&step=2#x');
    page.write(8, ['App', 'Opened', '', null, null, { orderId: 7 }]);
    expect(page.details(0)).toEqual({
      loupe: { page: 'https://shop.example/cart?token=[redacted]&step=2', release: '2.4.1' },
      orderId: 7,
    });
  });

  it('follows the address as a single-page app changes it', () => {
    const page = assemble();
    page.write(8, ['App', 'one']);
    page.document.URL = 'https://shop.example/checkout';
    page.write(8, ['App', 'two']);
    expect(page.details(0).loupe.page).toBe('https://shop.example/cart?step=2');
    expect(page.details(1).loupe.page).toBe('https://shop.example/checkout');
  });

  it('adds setContext values to every later message, and removes them with undefined', () => {
    const page = assemble();
    page.write(8, ['App', 'before']);
    page.setContext('userId', 42);
    page.setContext('plan', { name: 'pro', seats: 3 });
    page.write(8, ['App', 'with']);
    page.setContext('userId', undefined);
    page.write(8, ['App', 'after']);
    expect(page.details(0).loupe.context).toBeUndefined();
    expect(page.details(1).loupe.context).toEqual({ userId: 42, plan: { name: 'pro', seats: 3 } });
    expect(page.details(2).loupe.context).toEqual({ plan: { name: 'pro', seats: 3 } });
  });

  it('keeps a snapshot of a context value, so later changes to the object do not leak in', () => {
    const page = assemble();
    const user = { id: 1 };
    page.setContext('user', user);
    user.id = 2;
    page.write(8, ['App', 'x']);
    expect(page.details(0).loupe.context).toEqual({ user: { id: 1 } });
  });

  it("gives an exception the page's URL, unless the exception object names its own", () => {
    const page = assemble();
    page.write(2, ['App', 'failed', '', null, new Error('boom')]);
    page.write(2, ['App', 'failed', '', null, { message: 'm', url: 'https://elsewhere/x' }]);
    expect(page.sent[0].exception.url).toBe('https://shop.example/cart?step=2');
    expect(page.sent[1].exception.url).toBe('https://elsewhere/x');
  });

  it('does not log messages less severe than minSeverity, and counts them', () => {
    const page = assemble({ minSeverity: 'warning' });
    page.write(16, ['App', 'verbose']);
    page.write('information', ['App', 'information']);
    page.write(4, ['App', 'warning']);
    page.write('critical', ['App', 'critical']);
    expect(page.sent.map((m) => m.caption)).toEqual(['warning', 'critical']);
    expect(page.droppedCounts()).toEqual({ minSeverity: 2 });
  });

  it('counts what the filters drop, by reason, and gives no sequence number to it', () => {
    const page = assemble({ ignoreErrors: ['ignored'] });
    page.write(2, ['App', 'ignored here']);
    page.write(2, [
      'JavaScript',
      'Error',
      '',
      null,
      new Error('ResizeObserver loop limit exceeded'),
    ]);
    page.write(8, ['App', 'kept']);
    expect(page.sent.map((m) => [m.caption, m.sequence])).toEqual([['kept', 1]]);
    expect(page.droppedCounts()).toEqual({ ignoreErrors: 1, noise: 1 });
  });

  it('reports what delivery dropped ahead of the next message', () => {
    const page = assemble();
    page.dropInDelivery({ 'older than maxMessageAge': 3 });
    page.write(8, ['App', 'next']);
    expect(page.sent.map((m) => [m.severity, m.caption, m.description])).toEqual([
      [4, 'Messages dropped', '3 log messages were dropped: older than maxMessageAge.'],
      [8, 'next', ''],
    ]);
  });
});

describe('beforeSend', () => {
  it('sees the assembled message with its context, and sends what it returns', () => {
    const seen: any[] = [];
    const page = assemble({
      release: '1.0',
      beforeSend(message) {
        seen.push(structuredClone(message));
        message.caption = message.caption.replace(/\d{4}-\d{4}/, '[card]');
        delete message.loupe!.context!.email;
        return message;
      },
    });
    page.setContext('email', 'a@b.example');
    page.setContext('userId', 7);
    page.write(8, ['Checkout', 'Paid with 1234-5678', 'd', null, null, { amount: 3 }]);
    expect(seen[0]).toMatchObject({
      caption: 'Paid with 1234-5678',
      sequence: 1,
      agentSessionId: 'agent-1',
      details: '{"amount":3}',
      loupe: {
        page: 'https://shop.example/cart?step=2',
        release: '1.0',
        context: { email: 'a@b.example', userId: 7 },
      },
    });
    expect(page.sent[0].caption).toBe('Paid with [card]');
    expect(page.sent[0]).not.toHaveProperty('loupe');
    expect(page.details(0)).toEqual({
      loupe: { page: 'https://shop.example/cart?step=2', release: '1.0', context: { userId: 7 } },
      amount: 3,
    });
  });

  it('drops a message when it returns null or false, and counts it', () => {
    const page = assemble({
      beforeSend: (message) =>
        (message.caption == 'keep' ? message : message.caption == 'f' && false) || null,
    });
    page.write(8, ['App', 'f']);
    page.write(8, ['App', 'null']);
    page.write(8, ['App', 'keep']);
    expect(page.sent.map((m) => m.caption)).toEqual(['keep']);
    expect(page.droppedCounts()).toEqual({ beforeSend: 2 });
  });

  it('drops the message when it throws or returns nothing, never sending it unscrubbed, and says so once', () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    let calls = 0;
    const page = assemble({
      beforeSend: ((message: any) => {
        calls++;
        if (message.caption == 'undefined') return undefined;
        throw new Error('scrubber broke');
      }) as any,
    });
    page.write(8, ['App', 'secret 1']);
    page.write(8, ['App', 'undefined']);
    page.write(8, ['App', 'secret 2']);
    expect(calls).toBe(3);
    expect(page.sent).toEqual([]);
    expect(page.droppedCounts()).toEqual({ beforeSend: 3 });
    expect(printed).toHaveBeenCalledTimes(1);
    expect(printed.mock.calls[0]![0]).toMatch(
      /^\[loupe-agent\] beforeSend failed, message dropped: .*scrubber broke/,
    );
  });

  it('cannot make a message that the server would refuse', () => {
    const page = assemble({
      beforeSend(message: any) {
        message.severity = 'loud';
        message.sequence = null;
        message.timeStamp = null;
        message.category = { not: 'text' };
        message.details = { an: 'object' };
        message.exception = 'just text';
        message.methodSourceInfo = { line: 'twelve' };
        message.loupe = { page: 'https://changed.example/', extra: [1] };
        return message;
      },
    });
    page.write(8, ['App', 'x']);
    expect(page.sent[0]).toMatchObject({
      severity: 8,
      sequence: 1,
      category: '{"not":"text"}',
      exception: { message: 'just text' },
      methodSourceInfo: { line: null },
    });
    expect(page.details(0)).toEqual({
      loupe: { page: 'https://changed.example/', extra: [1] },
      an: 'object',
    });
  });

  it("sees the agent's own messages too, and a message it logs itself is dropped, not looped", () => {
    const captions: string[] = [];
    const page: ReturnType<typeof assemble> = assemble({
      beforeSend(message) {
        captions.push(message.caption);
        page.write(8, ['App', 'from inside beforeSend']);
        return message;
      },
    });
    page.dropInDelivery({ 'over maxStoredMessages or maxStoredBytes': 1 });
    page.write(8, ['App', 'x']);
    expect(captions).toEqual(['Messages dropped', 'x']);
    expect(page.sent.map((m) => m.caption)).toEqual(['Messages dropped', 'x']);
    expect(page.droppedCounts()).toEqual({ beforeSend: 2 });
  });
});
