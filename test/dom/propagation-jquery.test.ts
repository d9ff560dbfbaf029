import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Agent, createAgent } from '../../src';
import type { AgentContext } from '../../src/context';
import { registerJQueryPrefilter } from '../../src/instrument/jquery';
import { startNetwork } from '../helpers/network';

const versions = { 'jQuery 1.12': 'jquery1', 'jQuery 3': 'jquery3', 'jQuery 4': 'jquery' };
const nodeModules = join(import.meta.dirname, '..', '..', 'node_modules');

let network: ReturnType<typeof startNetwork>;
let agent: Agent | undefined;

beforeEach(() => {
  sessionStorage.clear();
  network = startNetwork(
    (request) =>
      new URL(request.url).pathname === '/data.json'
        ? Response.json({ ok: true })
        : new Response('ok', {
            headers: {
              'Access-Control-Allow-Origin': '*',
              'Access-Control-Allow-Headers':
                request.headers.get('access-control-request-headers') ?? '*',
            },
          }),
    { realXhr: true },
  );
});
afterEach(() => {
  agent?.uninstall();
  agent = undefined;
  delete (window as any).jQuery;
  delete (window as any).$;
  network.dispose();
});

/** Run the jQuery build as a page script would: it defines window.jQuery. */
function loadJQuery(folder: string): any {
  const code = readFileSync(join(nodeModules, folder, 'dist', 'jquery.js'), 'utf8');
  new Function(code).call(window);
  return (window as any).jQuery;
}

const sent = (path: string) =>
  network.requests.filter(
    (request) => request.method !== 'OPTIONS' && new URL(request.url).pathname === path,
  );

for (const [name, folder] of Object.entries(versions)) {
  describe(name, () => {
    it('adds the header to $.ajax, $.get, $.getJSON and $.post', async () => {
      const $ = loadJQuery(folder);
      agent = createAgent({ captureErrors: false }).install();
      const id = agent.diagnostics().agentSessionId;
      expect(agent.diagnostics().patches).toContain('jQuery');
      await $.ajax({ url: '/ajax', method: 'PUT', data: 'x=1' });
      await $.get('/get', { q: 1 });
      expect(await $.getJSON('/data.json')).toEqual({ ok: true });
      await $.post('/post', { a: 1 });
      for (const path of ['/ajax', '/get', '/data.json', '/post']) {
        const [request] = sent(path);
        expect(request!.headers.get('loupe-agent-sessionId'), path).toBe(id);
      }
      expect(sent('/post')[0]!.body).toBe('a=1');
    });

    it("leaves the app's header alone, in any letter case", async () => {
      const $ = loadJQuery(folder);
      agent = createAgent({ captureErrors: false }).install();
      await $.ajax({ url: '/mine', headers: { 'LOUPE-AGENT-SESSIONID': 'app-value' } });
      await $.ajax({
        url: '/before-send',
        beforeSend: (jqXHR: any) =>
          jqXHR.setRequestHeader('Loupe-Agent-SessionId', 'from-beforeSend'),
      });
      expect(sent('/mine')[0]!.headers.get('loupe-agent-sessionId')).toBe('app-value');
      expect(sent('/before-send')[0]!.headers.get('loupe-agent-sessionId')).toBe('from-beforeSend');
    });

    it('adds nothing to third-party origins', async () => {
      const $ = loadJQuery(folder);
      agent = createAgent({ captureErrors: false }).install();
      await $.get('https://third-party.test/data');
      await $.ajax({ url: 'https://third-party.test/post', method: 'POST', data: { a: 1 } });
      expect(sent('/data')).toHaveLength(1);
      expect(sent('/post')).toHaveLength(1);
      for (const request of network.requests)
        expect(request.headers.has('loupe-agent-sessionId')).toBe(false);
    });

    it('turns the prefilter off on uninstall and back on without registering another', async () => {
      const $ = loadJQuery(folder);
      const register = $.ajaxPrefilter;
      let registrations = 0;
      $.ajaxPrefilter = function (...args: unknown[]) {
        registrations++;
        return register.apply(this, args);
      };
      agent = createAgent({ captureErrors: false });
      const id = agent.diagnostics().agentSessionId;
      agent.install();
      await $.get('/on');
      agent.uninstall();
      expect(agent.diagnostics().patches).not.toContain('jQuery');
      await $.get('/off');
      agent.install();
      await $.get('/on-again');
      expect(registrations).toBe(1);
      expect(sent('/on')[0]!.headers.get('loupe-agent-sessionId')).toBe(id);
      expect(sent('/off')[0]!.headers.has('loupe-agent-sessionId')).toBe(false);
      expect(sent('/on-again')[0]!.headers.get('loupe-agent-sessionId')).toBe(id);
    });

    it('adds the header through the prefilter alone, for a jQuery loaded later', async () => {
      const $ = loadJQuery(folder);
      const restores: Array<() => void> = [];
      const context = {
        scope: window,
        options: {},
        correlationHeaders: () => [
          ['loupe-agent-sessionId', 'agent-1'],
          ['LoupeSessionId', 'explicit-1'],
        ],
        logOrigin: () => location.origin,
        track: (_name: string, restore: () => void) => restores.push(restore),
      } as unknown as AgentContext;
      registerJQueryPrefilter(context, $);
      await $.get('/prefilter');
      await $.get('https://third-party.test/prefilter');
      restores.forEach((restore) => restore());
      await $.get('/prefilter-off');
      const [own, third] = [sent('/prefilter')[0]!, sent('/prefilter')[1]!];
      expect(own.headers.get('loupe-agent-sessionId')).toBe('agent-1');
      expect(own.headers.get('LoupeSessionId')).toBe('explicit-1');
      expect(third.url).toBe('https://third-party.test/prefilter');
      expect(third.headers.has('loupe-agent-sessionId')).toBe(false);
      expect(sent('/prefilter-off')[0]!.headers.has('loupe-agent-sessionId')).toBe(false);
    });
  });
}
