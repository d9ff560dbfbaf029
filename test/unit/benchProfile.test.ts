import { describe, expect, it } from 'vitest';
import { type CpuProfile, scriptTime } from '../../bench/lib/profile.mjs';

// A profile of a page: the harness calls the agent, which calls JSON.stringify and fetch; the
// page's own code runs apart; the collector runs on its own.
const frame = (functionName: string, url = '') => ({ functionName, url });
const agentUrl = 'http://127.0.0.1:1/dist/loupe-agent.min.js';
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 3, 6, 7] },
    { id: 2, callFrame: frame('evaluate', 'http://127.0.0.1:1/page'), children: [4] },
    { id: 3, callFrame: frame('(garbage collector)') },
    { id: 4, callFrame: frame('write', agentUrl), children: [5, 8] },
    { id: 5, callFrame: frame('stringify') },
    { id: 6, callFrame: frame('appCode', 'http://127.0.0.1:1/app.js') },
    { id: 7, callFrame: frame('(idle)') },
    { id: 8, callFrame: frame('fetch') },
  ],
  // Each sample lasts until the next: the first delta is the time before the first sample.
  samples: [2, 4, 5, 5, 8, 3, 6, 7],
  timeDeltas: [0, 100, 200, 300, 400, 500, 600, 700, 800],
};

describe('the bench reads a script’s own time from a CPU profile', () => {
  it('counts the script’s frames and what they call, but not the network send, apart from GC', () => {
    // write 200 µs, stringify 300 + 400 µs under it; fetch 500 µs; GC 600 µs; the page's own
    // code (100 µs in evaluate, 700 µs in appCode) and idle time are not the script's.
    expect(scriptTime(profile, '/dist/loupe-agent.min.js')).toEqual({
      scriptMs: 0.9,
      sendMs: 0.5,
      gcMs: 0.6,
    });
  });

  it('finds code inline in a page by the page’s address', () => {
    // The frame at the page's address (100 µs) and everything under it but the send.
    expect(scriptTime(profile, '/page').scriptMs).toBeCloseTo(1, 6);
  });
});
