import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Agent, createAgent } from '../../src';
import { startNetwork } from '../helpers/network';

let network: ReturnType<typeof startNetwork>;
const agents: Agent[] = [];
const cleanups: Array<() => void> = [];

beforeEach(() => {
  sessionStorage.clear();
  network = startNetwork(undefined, { realXhr: true });
});
afterEach(() => {
  while (agents.length) agents.pop()!.uninstall();
  while (cleanups.length) cleanups.pop()!();
  network.dispose();
});

function newAgent() {
  const agent = createAgent({ captureErrors: false });
  agents.push(agent);
  return agent;
}

const xhrMethods = () => {
  const { open, setRequestHeader, send } = XMLHttpRequest.prototype;
  return { open, setRequestHeader, send };
};

function sendXhr(url: string): Promise<void> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url);
    xhr.onloadend = () => resolve();
    xhr.send();
  });
}

/** The agent session header values the network saw, per request, in order. */
const sessionHeaders = () => network.requests.map((r) => r.headers.get('loupe-agent-sessionId'));

describe('install and uninstall', () => {
  it('lists its patches and restores fetch and the XMLHttpRequest methods on uninstall', async () => {
    const fetchBefore = window.fetch;
    const xhrBefore = xhrMethods();
    const agent = newAgent().install();
    expect(agent.diagnostics().patches).toEqual(
      expect.arrayContaining(['fetch', 'XMLHttpRequest']),
    );
    expect(window.fetch).not.toBe(fetchBefore);
    expect(xhrMethods().send).not.toBe(xhrBefore.send);
    agent.uninstall();
    expect(window.fetch).toBe(fetchBefore);
    expect(xhrMethods()).toEqual(xhrBefore);
    expect(agent.diagnostics().patches).toEqual([]);
    await fetch('/after-uninstall');
    await sendXhr('/xhr-after-uninstall');
    expect(sessionHeaders()).toEqual([null, null]);
  });

  it('does not wrap twice when installed twice', async () => {
    const agent = newAgent().install();
    const wrapped = window.fetch;
    const wrappedXhr = xhrMethods();
    agent.install();
    expect(window.fetch).toBe(wrapped);
    expect(xhrMethods()).toEqual(wrappedXhr);
    await fetch('/once');
    await sendXhr('/xhr-once');
    const id = agent.diagnostics().agentSessionId;
    expect(sessionHeaders()).toEqual([id, id]);
  });

  it('works again after install, uninstall, install', async () => {
    const fetchBefore = window.fetch;
    const xhrBefore = xhrMethods();
    const agent = newAgent();
    const id = agent.diagnostics().agentSessionId;
    for (let round = 0; round < 3; round++) {
      agent.install();
      await fetch('/cycle');
      await sendXhr('/cycle-xhr');
      agent.uninstall();
      await fetch('/cycle-off');
    }
    expect(sessionHeaders()).toEqual([id, id, null, id, id, null, id, id, null]);
    expect(window.fetch).toBe(fetchBefore);
    expect(xhrMethods()).toEqual(xhrBefore);
  });

  it('leaves alone an xhr opened again while uninstalled and sent after a new install', async () => {
    const agent = newAgent().install();
    const xhr = new XMLHttpRequest();
    xhr.open('GET', '/opened-while-installed');
    agent.uninstall();
    xhr.open('GET', 'https://third-party.example.net/x');
    agent.install();
    await new Promise<void>((resolve) => {
      xhr.onloadend = () => resolve();
      xhr.send();
    });
    // happy-dom sends a CORS preflight before any cross-origin request: it must not ask for ours.
    expect(network.requests.map((request) => request.url)).toContain(
      'https://third-party.example.net/x',
    );
    for (const request of network.requests) {
      expect(request.headers.has('loupe-agent-sessionId')).toBe(false);
      expect(request.headers.get('Access-Control-Request-Headers') ?? '').not.toMatch(/loupe/i);
    }
  });

  it('sends the header once with two agents installed, and restores both', async () => {
    const fetchBefore = window.fetch;
    const xhrBefore = xhrMethods();
    const first = newAgent().install();
    const second = newAgent().install();
    await fetch('/two');
    await sendXhr('/two-xhr');
    // The outer patch (the agent installed last) sets it; the inner one sees it is there.
    const outer = second.diagnostics().agentSessionId;
    expect(sessionHeaders()).toEqual([outer, outer]);
    second.uninstall();
    first.uninstall();
    expect(window.fetch).toBe(fetchBefore);
    expect(xhrMethods()).toEqual(xhrBefore);
  });

  it('has one installed agent per page: a second install() returns it and patches nothing more', async () => {
    const first = newAgent().install();
    const other = newAgent();
    expect(other.install()).toBe(first);
    expect(other.diagnostics().installed).toBe(false);
    await fetch('/one');
    await sendXhr('/one-xhr');
    first.uninstall();
    await fetch('/none');
    await sendXhr('/none-xhr');
    // One header value per request: a second set of patches would have added it twice.
    const id = first.diagnostics().agentSessionId;
    expect(sessionHeaders()).toEqual([id, id, null, null]);
    // Once the first is uninstalled, another agent can install.
    expect(other.install()).toBe(other);
    await fetch('/other');
    expect(sessionHeaders()[4]).toBe(other.diagnostics().agentSessionId);
  });
});

describe('another library wrapping fetch', () => {
  /** Wrap window.fetch the way a library does: add a header, keep what was there to restore. */
  function wrapFetch(name: string) {
    const below = window.fetch;
    const calls: string[] = [];
    const wrapper = function (this: unknown, input: RequestInfo | URL, init: RequestInit = {}) {
      calls.push(String(input));
      const headers = new Headers(init.headers);
      headers.set('x-library', name);
      return below.call(this, input, { ...init, headers });
    };
    // The test network's fetch is read-only: redefine it, as a library would have to.
    const setFetch = (value: unknown) =>
      Object.defineProperty(window, 'fetch', { value, writable: true, configurable: true });
    setFetch(wrapper);
    const unwrap = () => setFetch(below);
    cleanups.push(() => {
      if (window.fetch === wrapper) unwrap();
    });
    return { wrapper, calls, unwrap };
  }

  it('keeps working when it wrapped fetch before the agent', async () => {
    const library = wrapFetch('before');
    const agent = newAgent().install();
    await fetch('/with-both');
    agent.uninstall();
    expect(window.fetch).toBe(library.wrapper);
    await fetch('/library-only');
    expect(library.calls).toEqual(['/with-both', '/library-only']);
    const [both, alone] = network.requests;
    expect(both!.headers.get('x-library')).toBe('before');
    expect(both!.headers.get('loupe-agent-sessionId')).toBe(agent.diagnostics().agentSessionId);
    expect(alone!.headers.get('x-library')).toBe('before');
    expect(alone!.headers.has('loupe-agent-sessionId')).toBe(false);
  });

  it('keeps working when it wrapped fetch after the agent, through uninstall', async () => {
    const agent = newAgent().install();
    const library = wrapFetch('after');
    await fetch('/with-both');
    agent.uninstall();
    // The library's wrapper stays on top; the agent's below it no longer adds anything.
    expect(window.fetch).toBe(library.wrapper);
    await fetch('/agent-passes-through');
    library.unwrap();
    await fetch('/library-gone');
    expect(library.calls).toEqual(['/with-both', '/agent-passes-through']);
    expect(network.requests.map((r) => r.headers.get('x-library'))).toEqual([
      'after',
      'after',
      null,
    ]);
    expect(sessionHeaders()).toEqual([agent.diagnostics().agentSessionId, null, null]);
  });
});
