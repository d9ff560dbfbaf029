// The main-thread time a script's own code takes, read from a CPU profile of the page (Chrome's
// sampling profiler through CDP): every sample whose stack holds a frame of the script counts,
// with what it called (JSON.stringify, localStorage, timers), except the browser's own work of
// sending a request (a `fetch` call made by the script), which any sender pays for the same bytes.
// Garbage collection belongs to no frame: the whole page's is counted apart.

/** Start sampling every 50 µs; resolves to a function that stops and returns the profile. */
export async function startProfile(cdp) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  return async () => (await cdp.send('Profiler.stop')).profile;
}

/** Milliseconds of `profile` spent in code of the script at `scriptPath`, and in GC. */
export function scriptTime(profile, scriptPath) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parents.set(child, node.id);
  }
  const inScript = new Map();
  const underScript = (id) => {
    if (!inScript.has(id)) {
      const node = nodes.get(id);
      inScript.set(
        id,
        node.callFrame.url.endsWith(scriptPath) ||
          (parents.has(id) && underScript(parents.get(id))),
      );
    }
    return inScript.get(id);
  };
  let scriptUs = 0;
  let sendUs = 0;
  let gcUs = 0;
  for (let index = 0; index < profile.samples.length; index++) {
    const id = profile.samples[index];
    // A sample's time is the delta to the next sample.
    const delta = profile.timeDeltas[index + 1] ?? 0;
    const frame = nodes.get(id).callFrame;
    if (frame.functionName === '(garbage collector)') gcUs += delta;
    else if (underScript(id)) {
      if (frame.functionName === 'fetch' && !frame.url) sendUs += delta;
      else scriptUs += delta;
    }
  }
  return { scriptMs: scriptUs / 1000, sendMs: sendUs / 1000, gcMs: gcUs / 1000 };
}
