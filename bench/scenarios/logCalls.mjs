// 2 and 3. What a log call costs the page, and what a burst of them costs the network.
// A fresh page logs `count` messages in one synchronous loop (the synchronous cost per call);
// then the bench waits until the server has every message and the page has gone quiet, and reads
// the page's main-thread busy time over the whole span (the amortized cost per call: the call
// plus the agent's timers, storage and sending). The same run counts the log requests and bytes
// the server received. The no-op logger runs the same loop to show what the harness costs.
// Sending is partly the browser's own work (encoding the body, handing it to the network
// process), whoever sends: the transport floor is a page with the no-op logger that runs the same
// loop and then sends requests of the same sizes the agent sent, one after the other, with plain
// fetch. The amortized cost less that floor is what the agent itself adds.
// A fresh page also pays for its first calls, before the code is optimized. The warm figures run
// the same measurement once the page has already logged (and sent) as many messages, as in an app
// that has been running for a while; the floor is measured the same way.
// Differences of two pages' busy times are only as good as the machine is quiet. The profiled
// figures read a logger's own share from a CPU profile instead (bench/lib/profile.mjs): once on a
// fresh page, and once in steady state, over three rounds after the page logged and sent
// `warmRounds` times as many messages. The reference logger (bench/lib/pages.mjs) does the least
// any logger that keeps its messages must do; it runs the fresh-page and profiled measurements.
import { openPage } from '../lib/browser.mjs';
import { isolationHeaders, pageHtml } from '../lib/pages.mjs';
import { scriptTime, startProfile } from '../lib/profile.mjs';
import { medianOf, round } from '../lib/stats.mjs';

/**
 * Runs in the page: log `count` messages as fast as an app could, timing each chunk of calls. The
 * mean over all calls includes the cold start and any sending done inside a call; the median
 * chunk is the steady cost of a call.
 */
function logInPage({ count, chunk }) {
  const agent = window.loupe;
  if (typeof agent?.information !== 'function') {
    return { error: 'window.loupe.information is missing' };
  }
  const startedAt = performance.timeOrigin + performance.now();
  const chunks = [];
  let total = 0;
  for (let begin = 0; begin < count; begin += chunk) {
    const end = Math.min(count, begin + chunk);
    const start = performance.now();
    for (let index = begin; index < end; index++) {
      agent.information(
        'Checkout',
        'Order saved',
        'Order ' + index + ' was saved by the checkout service after validating the cart.',
      );
    }
    const elapsed = performance.now() - start;
    total += elapsed;
    chunks.push(elapsed / (end - begin));
  }
  chunks.sort((a, b) => a - b);
  return { meanUs: (total * 1000) / count, steadyUs: chunks[chunks.length >> 1] * 1000, startedAt };
}

/** Runs in the page: POST bodies of the given sizes one after the other, as the agent does. */
async function sendInPage(sizes) {
  for (const size of sizes) {
    const body = '{"logMessages":["' + 'x'.repeat(Math.max(0, size - 20)) + '"]}';
    const response = await fetch('/floor/log', {
      method: 'POST',
      body,
      keepalive: size <= 65536,
    });
    await response.text();
  }
}

const FIELDS = [
  'meanUs',
  'steadyUs',
  'amortizedUs',
  'floorUs',
  'ownUs',
  'warmAmortizedUs',
  'warmFloorUs',
  'warmOwnUs',
  'profiledUs',
  'steadyProfiledUs',
  'requests',
  'wireBytes',
  'bodyBytes',
  'messages',
  'deliveredMs',
];

/**
 * The transport floor: the no-op logger's loop, then the same requests sent with plain fetch;
 * `warm`: after the page did all that once.
 */
async function runFloor({ browser, server, settings }, sizes, warm = false) {
  const url = server.page('/log/floor', pageHtml('noop'), isolationHeaders);
  const tab = await openPage(browser, url);
  try {
    if (warm) {
      await tab.page.evaluate(logInPage, settings.log);
      await tab.page.evaluate(sendInPage, sizes);
      await server.waitQuiet(settings.log.quiet, settings.log.quiet * 4);
    }
    const before = await tab.mainThreadMs();
    await tab.page.evaluate(logInPage, settings.log);
    await tab.page.evaluate(sendInPage, sizes);
    await server.waitQuiet(settings.log.quiet, settings.log.quiet * 4);
    return (((await tab.mainThreadMs()) - before) * 1000) / settings.log.count;
  } finally {
    await tab.close();
  }
}

/** One page's figures; `warm`: measured after the page logged and sent as many messages once. */
async function runPage({ browser, server, settings }, agent, warm = false) {
  const { count, deliveryTimeout, quiet } = settings.log;
  server.reset();
  const url = server.page('/log/' + agent, pageHtml(agent), isolationHeaders);
  const tab = await openPage(browser, url);
  try {
    if (warm) {
      await tab.page.evaluate(logInPage, settings.log);
      if (agent !== 'noop') {
        await server.waitFor(() => server.totals().messages >= count, deliveryTimeout);
      }
      await server.waitQuiet(quiet, quiet * 4);
      server.reset();
    }
    const before = await tab.mainThreadMs();
    const result = await tab.page.evaluate(logInPage, settings.log);
    if (result.error) return result;
    let delivered = true;
    if (agent !== 'noop') {
      delivered = await server.waitFor(() => server.totals().messages >= count, deliveryTimeout);
    }
    // Let trailing timers (storage clean-up, the next scheduled flush) run before reading.
    await server.waitQuiet(quiet, quiet * 4);
    const busyMs = (await tab.mainThreadMs()) - before;
    const totals = server.totals();
    const sizes = server.logs().map((log) => log.bodyBytes);
    return {
      sizes,
      meanUs: result.meanUs,
      steadyUs: result.steadyUs,
      amortizedUs: (busyMs * 1000) / count,
      requests: totals.requests,
      wireBytes: totals.wireBytes,
      bodyBytes: totals.bodyBytes,
      messages: totals.messages,
      deliveredMs: delivered && totals.lastAt ? totals.lastAt - result.startedAt : undefined,
      delivered,
    };
  } finally {
    await tab.close();
  }
}

/**
 * A logger's own main-thread µs per call from a CPU profile of `rounds` rounds (log, deliver, go
 * quiet), after `warmRounds` rounds on the same page: its code and what it calls, the network
 * send left out, plus all of the page's garbage collection. The agent's code is its script file;
 * the reference logger's is inline in the page.
 */
async function runProfiled({ browser, server, settings }, agent, warmRounds, rounds) {
  const { count, deliveryTimeout, quiet } = settings.log;
  const path = '/log/profiled/' + agent;
  const url = server.page(path, pageHtml(agent), isolationHeaders);
  const tab = await openPage(browser, url);
  let delivered = true;
  /** Log, deliver and go quiet `times` times; the page's error, if any. */
  const run = async (times) => {
    for (let index = 0; index < times; index++) {
      server.reset();
      const { error } = await tab.page.evaluate(logInPage, settings.log);
      if (error) return error;
      delivered &&= await server.waitFor(() => server.totals().messages >= count, deliveryTimeout);
      await server.waitQuiet(quiet, quiet * 4);
    }
  };
  try {
    const warmError = await run(warmRounds);
    if (warmError) return { error: warmError };
    const stop = await startProfile(tab.cdp);
    const error = await run(rounds);
    if (error) return { error };
    const script = agent == 'ours' ? '/dist/loupe-agent.min.js' : path;
    const { scriptMs, gcMs } = scriptTime(await stop(), script);
    return { us: ((scriptMs + gcMs) * 1000) / (count * rounds), delivered };
  } finally {
    await tab.close();
  }
}

export async function measureLogCalls(run) {
  const agents = ['noop', 'reference', 'legacy', 'ours'];
  const samples = { noop: [], reference: [], legacy: [], ours: [] };
  for (let index = 0; index < run.settings.pages; index++) {
    for (const agent of agents) {
      const sample = await runPage(run, agent);
      if (sample.error) return { error: `${agent}: ${sample.error}` };
      if (agent === 'ours' || agent === 'reference') {
        const { warmRounds } = run.settings.log;
        const profiled = await runProfiled(run, agent, 0, 1);
        const steady = await runProfiled(run, agent, warmRounds, 3);
        if (profiled.error || steady.error) {
          return { error: `${agent} (profiled): ${profiled.error ?? steady.error}` };
        }
        sample.profiledUs = profiled.us;
        sample.steadyProfiledUs = steady.us;
        sample.delivered &&= profiled.delivered && steady.delivered;
      }
      if (agent === 'ours') {
        sample.floorUs = await runFloor(run, sample.sizes);
        const warm = await runPage(run, agent, true);
        if (warm.error) return { error: `${agent} (warm): ${warm.error}` };
        sample.warmAmortizedUs = warm.amortizedUs;
        sample.warmFloorUs = await runFloor(run, warm.sizes, true);
        // Each page less the floor measured right after it: the pair shares the machine's state.
        sample.ownUs = sample.amortizedUs - sample.floorUs;
        sample.warmOwnUs = sample.warmAmortizedUs - sample.warmFloorUs;
      }
      samples[agent].push(sample);
    }
  }
  const summary = (agent) => {
    const medians = medianOf(samples[agent], FIELDS);
    const undelivered = samples[agent].filter((sample) => !sample.delivered).length;
    return {
      meanUs: round(medians.meanUs, 3),
      steadyUs: round(medians.steadyUs, 3),
      amortizedUs: round(medians.amortizedUs, 3),
      floorUs: medians.floorUs === undefined ? undefined : round(medians.floorUs, 3),
      warmAmortizedUs:
        medians.warmAmortizedUs === undefined ? undefined : round(medians.warmAmortizedUs, 3),
      warmFloorUs: medians.warmFloorUs === undefined ? undefined : round(medians.warmFloorUs, 3),
      ownUs: medians.ownUs === undefined ? undefined : round(medians.ownUs, 3),
      warmOwnUs: medians.warmOwnUs === undefined ? undefined : round(medians.warmOwnUs, 3),
      profiledUs: round(medians.profiledUs, 3),
      steadyProfiledUs: round(medians.steadyProfiledUs, 3),
      requests: medians.requests,
      wireBytes: medians.wireBytes,
      bodyBytes: medians.bodyBytes,
      messages: medians.messages,
      deliveredMs: round(medians.deliveredMs, 1),
      // Every page's figures, with the sizes of the requests it sent.
      pages: samples[agent].map((sample) =>
        Object.fromEntries(
          Object.entries(sample).map(([key, value]) => [
            key,
            typeof value === 'number' ? round(value, 3) : value,
          ]),
        ),
      ),
      note: undelivered
        ? `${undelivered} of ${samples[agent].length} pages did not deliver all ` +
          `${run.settings.log.count} messages within ${run.settings.log.deliveryTimeout} ms`
        : undefined,
    };
  };
  return {
    what:
      'information(category, caption, description) called in a tight loop on a fresh page; ' +
      'amortized = main-thread busy time (CDP TaskDuration) from before the loop until every ' +
      'message reached the server and the page went quiet, divided by the count; floorUs = the ' +
      'same for the no-op logger followed by plain fetch requests of the sizes the agent sent; ' +
      'warm = the same after the page already logged and sent as many messages; profiled = the ' +
      "agent's own code and what it calls (the network send left out) plus all garbage " +
      'collection, from a CPU profile, on a fresh page and after warmRounds rounds',
    settings: { ...run.settings.log, pages: run.settings.pages },
    noop: summary('noop'),
    reference: summary('reference'),
    legacy: summary('legacy'),
    ours: summary('ours'),
  };
}
