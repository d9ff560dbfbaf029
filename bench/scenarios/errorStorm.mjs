// 5. An error storm: the page throws `count` uncaught errors, each from its own task (a timer
// callback), the way a broken render loop or a failing poll would. The figure is the page's
// main-thread busy time (CDP TaskDuration) from before the storm until the agent has gone quiet,
// per error, against the same page without an agent (the browser's own error reporting), and the
// number of messages that reached the server, including what a final flush() sends.
import { openPage } from '../lib/browser.mjs';
import { pageHtml } from '../lib/pages.mjs';
import { medianOf, round } from '../lib/stats.mjs';

/** Runs in the page. */
function stormInPage(count) {
  return new Promise((resolve) => {
    for (let index = 0; index < count; index++) {
      setTimeout(() => {
        throw new Error('Storm ' + index + ': cannot read the price of an empty cart');
      });
    }
    setTimeout(resolve);
  });
}

function flushInPage() {
  return typeof window.loupe?.flush === 'function' ? window.loupe.flush() : undefined;
}

async function runPage({ browser, server, settings }, agent, count) {
  const { quiet, timeout } = settings.storm;
  server.reset();
  const tab = await openPage(browser, server.page('/storm/' + agent, pageHtml(agent)));
  try {
    const before = await tab.mainThreadMs();
    await tab.page.evaluate(stormInPage, count);
    const settled = await server.waitQuiet(quiet, timeout);
    const busyMs = (await tab.mainThreadMs()) - before;
    const sentBeforeFlush = server.totals().messages;
    await tab.page.evaluate(flushInPage);
    await server.waitQuiet(quiet / 2, timeout);
    const totals = server.totals();
    return {
      perErrorMs: busyMs / count,
      messages: totals.messages,
      messagesBeforeFlush: sentBeforeFlush,
      requests: totals.requests,
      settled,
    };
  } finally {
    await tab.close();
  }
}

export async function measureErrorStorm(run) {
  const { count, legacyCount, pages } = run.settings.storm;
  const counts = { none: count, legacy: legacyCount, ours: count };
  const samples = { none: [], legacy: [], ours: [] };
  for (let index = 0; index < pages; index++) {
    for (const agent of ['none', 'legacy', 'ours']) {
      samples[agent].push(await runPage(run, agent, counts[agent]));
    }
  }
  const summary = (agent) => {
    const medians = medianOf(samples[agent], [
      'perErrorMs',
      'messages',
      'messagesBeforeFlush',
      'requests',
    ]);
    const unsettled = samples[agent].filter((sample) => !sample.settled).length;
    return {
      errors: counts[agent],
      perErrorMs: round(medians.perErrorMs, 4),
      messages: medians.messages,
      messagesBeforeFlush: medians.messagesBeforeFlush,
      requests: medians.requests,
      note:
        (unsettled
          ? `still sending after ${run.settings.storm.timeout} ms on ${unsettled} pages`
          : '') || undefined,
    };
  };
  const none = summary('none');
  const ours = summary('ours');
  if (!ours.messages) {
    ours.note = 'this build logged none of the errors (no error capture): the cost is the baseline';
  }
  return {
    what:
      'uncaught errors thrown from separate timer tasks; main-thread busy time (CDP TaskDuration) ' +
      'until the page went quiet, per error; messages received by the server',
    settings: run.settings.storm,
    none,
    legacy: summary('legacy'),
    ours: { ...ours, addedMs: round(ours.perErrorMs - none.perErrorMs, 4) },
  };
}
