import { afterEach, expect, it } from 'vitest';
import { createAgent } from '../../src';
import { startNetwork } from '../helpers/network';

let network: ReturnType<typeof startNetwork>;
afterEach(() => network?.dispose());

it('sends a message to /loupe/log on the page origin', async () => {
  network = startNetwork();
  console.log(
    typeof window,
    window === globalThis,
    window.fetch === globalThis.fetch,
    location.href,
  );
  const agent = createAgent();
  agent.information('Cat', 'Caption', 'Description');
  await agent.flush();
  const [request] = network.logRequests();
  expect(request?.url).toBe(location.origin + '/loupe/log');
  expect(JSON.parse(request!.body).logMessages[0].caption).toBe('Caption');
});
