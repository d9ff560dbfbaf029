import { expect, it } from 'vitest';

it('importing the package touches no global and works outside a browser', async () => {
  const before = new Set(Object.getOwnPropertyNames(globalThis));
  const fetchBefore = globalThis.fetch;
  const module = await import('../../src/index');
  expect(Object.getOwnPropertyNames(globalThis).filter((name) => !before.has(name))).toEqual([]);
  expect(globalThis.fetch).toBe(fetchBefore);
  // Outside a browser the agent is inert: it logs nothing and patches nothing.
  const agent = module.install();
  agent.information('c', 'c', 'd');
  expect(agent.diagnostics()).toMatchObject({ installed: false, queued: 0, patches: [] });
  expect(globalThis.fetch).toBe(fetchBefore);
  await agent.flush();
});
