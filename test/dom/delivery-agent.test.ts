import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { type Agent, createAgent } from '../../src';
import { startNetwork } from '../helpers/network';

let network: ReturnType<typeof startNetwork>;
let agents: Agent[] = [];
beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});
afterEach(() => {
  for (const agent of agents) agent.uninstall();
  agents = [];
  vi.restoreAllMocks();
  network?.dispose();
});

const installed = (options = {}) => {
  const agent = createAgent(options).install();
  agents.push(agent);
  return agent;
};
// Chunks of unsent messages; without Web Locks (as here) a lease key sits beside them.
const queueKeys = () => Object.keys(localStorage).filter((key) => /^LoupeQueue:.+:\d+$/.test(key));
const captions = () => network.logMessages().map((message: any) => message.caption);

it('sends what an earlier page of the tab left in localStorage before its own messages', async () => {
  network = startNetwork();
  const id = '0b7d2c9e-1f4a-4c1e-9a53-5b2f7f1e8c11';
  sessionStorage.setItem('LoupeAgentSessionId', id);
  const left = [1, 2].map((sequence) =>
    JSON.stringify({
      severity: 8,
      category: 'Earlier',
      caption: 'left ' + sequence,
      description: '',
      timeStamp: new Date().toISOString(),
      sequence,
      agentSessionId: id,
    }),
  );
  localStorage.setItem('LoupeQueue:' + id + ':' + (Date.now() - 5000), left.join(','));
  const agent = installed();
  agent.information('Now', 'mine', '');
  await agent.flush();
  expect(captions()).toEqual(['left 1', 'left 2', 'mine']);
  expect(queueKeys()).toEqual([]);
});

it('persists what it could not send under a key of its agent session', async () => {
  network = startNetwork(() => new Response('', { status: 503 }));
  const agent = installed();
  agent.information('c', 'kept', '');
  await agent.flush();
  await vi.waitFor(() => expect(queueKeys()).toHaveLength(1));
  const [key] = queueKeys();
  expect(key).toMatch(new RegExp('^LoupeQueue:' + agent.diagnostics().agentSessionId + ':\\d+$'));
  expect(JSON.parse('[' + localStorage.getItem(key!) + ']')[0].caption).toBe('kept');
  expect(agent.diagnostics().queued).toBe(1);
});

it('hands the queue to sendBeacon at pagehide, once however often exit events fire', async () => {
  network = startNetwork();
  const beacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true);
  const agent = installed();
  agent.information('c', 'leaving', '');
  window.dispatchEvent(new Event('pagehide'));
  window.dispatchEvent(new Event('pagehide'));
  expect(beacon).toHaveBeenCalledTimes(1);
  const [url, data] = beacon.mock.calls[0]!;
  expect(url).toBe(location.origin + '/loupe/log');
  // A string: the beacon goes out as text/plain;charset=UTF-8.
  expect(typeof data).toBe('string');
  const body = JSON.parse(data as string);
  expect(body.session.currentAgentSessionId).toBe(agent.diagnostics().agentSessionId);
  expect(body.logMessages.map((message: any) => message.caption)).toEqual(['leaving']);
  expect(agent.diagnostics().queued).toBe(0);
});

it('uninstall removes its exit listeners and leaves nothing in storage', async () => {
  network = startNetwork(() => new Response('', { status: 503 }));
  const beacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true);
  const agent = installed();
  agent.information('c', 'a', '');
  await vi.waitFor(() => expect(queueKeys()).toHaveLength(1));
  agent.uninstall();
  window.dispatchEvent(new Event('pagehide'));
  expect(beacon).not.toHaveBeenCalled();
  expect(Object.keys(localStorage)).toEqual([]);
  expect(agent.diagnostics().queued).toBe(1);
});

it('an agent that is not installed sends on flush and does not use localStorage', async () => {
  network = startNetwork();
  const agent = createAgent();
  agent.information('c', 'plain', '');
  await agent.flush();
  expect(captions()).toEqual(['plain']);
  expect(Object.keys(localStorage)).toEqual([]);
});
