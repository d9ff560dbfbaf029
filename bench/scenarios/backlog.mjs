// 4. A backlog left by an earlier page: how long the next page takes to start sending it.
// Page 1 logs `count` messages while the log server is down (every /loupe/log connection is
// dropped, which agents read as "keep and retry"), waits, and navigates away. The server comes
// back; page 2 of the same tab loads the same agent. The figure is the time from page 2's
// navigation start to the start of its first /loupe/log request (Resource Timing, page clock),
// and the time until the server has received the whole backlog.
import { openPage } from '../lib/browser.mjs';
import { pageHtml } from '../lib/pages.mjs';
import { medianOf, round } from '../lib/stats.mjs';

/** Runs in page 1. */
function logWhileDown(count) {
  const agent = window.loupe;
  if (typeof agent?.information !== 'function') {
    return { error: 'window.loupe.information is missing' };
  }
  // The older agent retries every 10 ms and rescans its whole storage each time; left running,
  // page 1 would spend minutes on 5,000 messages. Its storage writes are synchronous, so the
  // backlog is complete without the retries.
  if (typeof agent.logMessageToServer === 'function') agent.logMessageToServer = () => false;
  for (let index = 0; index < count; index++) {
    agent.information('Backlog', 'Queued while offline', 'Message ' + index + ' of ' + count);
  }
  return {};
}

/** Runs in page 2: resolves with the start time of the first /loupe/log request, if any. */
function firstLogRequest(timeout) {
  const isLog = (entry) => new URL(entry.name).pathname === '/loupe/log';
  return new Promise((resolve) => {
    const done = (entry) => {
      observer.disconnect();
      clearTimeout(timer);
      resolve({
        startMs: entry?.startTime,
        timeOrigin: performance.timeOrigin,
        storedKeys: localStorage.length,
      });
    };
    const observer = new PerformanceObserver((list) => {
      const entry = list.getEntries().find(isLog);
      if (entry) done(entry);
    });
    observer.observe({ type: 'resource', buffered: true });
    const timer = setTimeout(() => done(undefined), localStorage.length ? timeout : timeout / 4);
  });
}

async function runPage({ browser, server, settings }, agent, count) {
  const { settle, timeout, drainTimeout } = settings.backlog;
  const first = server.page(`/backlog/${agent}/1`, pageHtml(agent));
  const second = server.page(`/backlog/${agent}/2`, pageHtml(agent));
  server.setAccepting(false);
  const tab = await openPage(browser, first);
  try {
    const logged = await tab.page.evaluate(logWhileDown, count);
    if (logged.error) return logged;
    await new Promise((resolve) => setTimeout(resolve, settle));
    await tab.page.goto('about:blank');
    // Any request page 1 made on its way out is dropped too.
    await server.waitQuiet(200, 1000);
    server.setAccepting(true);
    server.reset();
    await tab.page.goto(second);
    const result = await tab.page.evaluate(firstLogRequest, timeout);
    if (result.startMs === undefined) {
      return {
        sent: false,
        storedKeys: result.storedKeys,
        waitedMs: result.storedKeys ? timeout : timeout / 4,
      };
    }
    const drained = await server.waitFor(() => server.totals().messages >= count, drainTimeout);
    const totals = server.totals();
    return {
      sent: true,
      firstBatchMs: result.startMs,
      drainedMs: drained ? totals.lastAt - result.timeOrigin : undefined,
      delivered: totals.messages,
      drained,
    };
  } finally {
    server.setAccepting(true);
    await tab.close();
  }
}

export async function measureBacklog(run) {
  const counts = {};
  for (const count of run.settings.backlog.counts) {
    const samples = { legacy: [], ours: [] };
    for (let index = 0; index < run.settings.backlog.pages; index++) {
      for (const agent of ['legacy', 'ours']) {
        const sample = await runPage(run, agent, count);
        if (sample.error) return { error: `${agent}: ${sample.error}` };
        samples[agent].push(sample);
      }
    }
    const summary = (agent) => {
      const sent = samples[agent].filter((sample) => sample.sent);
      if (!sent.length) {
        const kept = samples[agent].some((sample) => sample.storedKeys > 0);
        const waited = Math.max(...samples[agent].map((sample) => sample.waitedMs));
        return {
          note: kept
            ? `nothing was sent within ${waited} ms of the next page load`
            : 'this build keeps no backlog across page loads (page 2 found localStorage ' +
              `empty and sent nothing within ${waited} ms)`,
        };
      }
      const medians = medianOf(sent, ['firstBatchMs', 'drainedMs', 'delivered']);
      const undrained = sent.filter((sample) => !sample.drained);
      return {
        firstBatchMs: round(medians.firstBatchMs, 1),
        drainedMs: round(medians.drainedMs, 1),
        delivered: medians.delivered,
        note:
          (sent.length < samples[agent].length
            ? `${samples[agent].length - sent.length} pages sent nothing. `
            : '') +
            (undrained.length
              ? `${undrained.length} of ${sent.length} pages had not delivered all ${count} ` +
                `messages after ${run.settings.backlog.drainTimeout} ms ` +
                `(${undrained.map((sample) => sample.delivered).join(', ')} delivered)`
              : '') || undefined,
      };
    };
    counts[count] = { legacy: summary('legacy'), ours: summary('ours') };
  }
  return {
    what:
      'page 1 logs N messages while /loupe/log is down and navigates away; page 2 of the same ' +
      'tab loads with the server up: ms from navigation start to the first /loupe/log request, ' +
      'and until the server had all N',
    settings: run.settings.backlog,
    counts,
  };
}
