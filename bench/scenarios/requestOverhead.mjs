// 1. What the agent adds to an app's fetch and XMLHttpRequest.
// The page's transport is stubbed before the agent loads (fetch returns an already-resolved
// Response, XMLHttpRequest.prototype.send does nothing), so the agent wraps the stubs and what
// the clock sees is the wrapper alone: no network, no server, no waiting on I/O.
// Pages differ from each other by more than a wrapper costs (heap state, JIT, the machine's
// load), so each page measures both sides: many short rounds with the agent installed alternate
// with rounds after `loupe.uninstall()` (which puts the stubs back), and the page's figure is the
// median of the per-round differences.
// The floor: after the agent's rounds, the same page measures the least a patch can cost that does
// what the agent's must: a hand-written reference, with no options and no checks, that gives
// fetch a new init with one header and watches its promise, and for XMLHttpRequest keeps the
// method and URL from open() for send(), sets one header and listens for loadend (what
// failed-request capture needs). Its rounds alternate with rounds on the bare stubs. A second
// XMLHttpRequest reference also does, at its simplest, the rest of what the agent must: leave
// the app's own correlation headers alone, check the origin, record the start of the request.
import { openPage } from '../lib/browser.mjs';
import { isolationHeaders, pageHtml } from '../lib/pages.mjs';
import { median, round } from '../lib/stats.mjs';

const stubNetwork = `
  const benchResponse = new Response('');
  window.fetch = function fetch() { return Promise.resolve(benchResponse); };
  XMLHttpRequest.prototype.send = function send() {};
  window.benchStubs = [
    window.fetch,
    window.XMLHttpRequest,
    XMLHttpRequest.prototype.open,
    XMLHttpRequest.prototype.setRequestHeader,
    XMLHttpRequest.prototype.send,
  ];
`;

/** Runs in the page. */
async function measureInPage({ fetchIterations, xhrIterations, rounds }) {
  const url = '/api/items?page=1';
  const proto = XMLHttpRequest.prototype;
  const globals = () => [
    window.fetch,
    window.XMLHttpRequest,
    proto.open,
    proto.setRequestHeader,
    proto.send,
  ];
  const agent = window.loupe;
  if (typeof agent?.uninstall !== 'function' || typeof agent.install !== 'function') {
    return { error: 'the agent did not load (window.loupe has no install/uninstall)' };
  }
  const stubs = window.benchStubs;
  const installed = globals();
  agent.uninstall();
  if (globals().some((value, index) => value !== stubs[index])) {
    return { error: 'uninstall() did not put the original fetch and XMLHttpRequest back' };
  }
  agent.install();
  const wrapped = (values) => values.map((value, index) => value !== stubs[index]).join();
  if (wrapped(globals()) !== wrapped(installed)) {
    return { error: 'install() after uninstall() did not patch the same globals again' };
  }

  const timeFetch = async () => {
    const start = performance.now();
    for (let index = 0; index < fetchIterations; index++) await fetch(url);
    return ((performance.now() - start) / fetchIterations) * 1e6;
  };
  const timeXhr = () => {
    const start = performance.now();
    for (let index = 0; index < xhrIterations; index++) {
      const request = new XMLHttpRequest();
      request.open('GET', url);
      request.setRequestHeader('Accept', 'application/json');
      request.send();
    }
    return ((performance.now() - start) / xhrIterations) * 1e3;
  };
  const sides = { withAgent: { fetchNs: [], xhrUs: [] }, without: { fetchNs: [], xhrUs: [] } };
  const measure = async (side, record) => {
    if (side === 'withAgent') agent.install();
    else agent.uninstall();
    const fetchNs = await timeFetch();
    const xhrUs = timeXhr();
    if (!record) return;
    sides[side].fetchNs.push(fetchNs);
    sides[side].xhrUs.push(xhrUs);
  };
  // Warm up both sides so that the JIT has seen every path before the clock runs.
  for (let index = 0; index < 3; index++) {
    await measure('withAgent', false);
    await measure('without', false);
  }
  for (let index = 0; index < rounds; index++) {
    // Alternate which side goes first, so that a trend within the page hits both alike.
    const order = index % 2 ? ['without', 'withAgent'] : ['withAgent', 'without'];
    for (const side of order) await measure(side, true);
  }
  // The floor: the reference patches, alternating with the bare stubs.
  agent.uninstall();
  const [stubFetch, , stubOpen, stubSetHeader, stubSend] = stubs;
  const header = ['loupe-agent-sessionId', '00000000-0000-4000-8000-000000000000'];
  let lastState;
  function onEnd() {}
  const reference = {
    on() {
      window.fetch = function (input, init) {
        return stubFetch(input, { ...init, headers: [header] }).then(
          (response) => response,
          (error) => {
            throw error;
          },
        );
      };
      proto.open = function (method, target) {
        lastState = [this, method, target];
        return stubOpen.apply(this, arguments);
      };
      proto.setRequestHeader = function () {
        return stubSetHeader.apply(this, arguments);
      };
      proto.send = function () {
        if (lastState?.[0] === this) {
          lastState = undefined;
          stubSetHeader.call(this, header[0], header[1]);
          this.addEventListener('loadend', onEnd);
        }
        return stubSend.apply(this, arguments);
      };
    },
    off() {
      window.fetch = stubFetch;
      proto.open = stubOpen;
      proto.setRequestHeader = stubSetHeader;
      proto.send = stubSend;
    },
  };
  // Rounds with a reference on and off in turn, after three to warm up: what `time` gave each side.
  const alternate = async (on, off, time) => {
    const seen = { withReference: [], without: [] };
    for (let index = 0; index < rounds + 3; index++) {
      const order = index % 2 ? ['without', 'withReference'] : ['withReference', 'without'];
      for (const side of order) {
        (side === 'withReference' ? on : off)();
        const value = await time();
        if (index >= 3) seen[side].push(value);
      }
    }
    off();
    return seen;
  };
  const byField = (values) => ({
    fetchNs: values.map((value) => value.fetchNs),
    xhrUs: values.map((value) => value.xhrUs),
  });
  const floorRounds = await alternate(reference.on, reference.off, async () => ({
    fetchNs: await timeFetch(),
    xhrUs: timeXhr(),
  }));
  const floor = {
    withReference: byField(floorRounds.withReference),
    without: byField(floorRounds.without),
  };
  // A second reference for XMLHttpRequest that also does the rest of what the agent must, at
  // its simplest: it notes app header names as long as the agent's (to leave those alone), checks
  // a same-origin path with one pattern, and records the start for the failure report.
  const samePath = /^\/(?![/\\])/;
  const state = Symbol('reference');
  const complete = await alternate(
    () => {
      proto.open = function (method, target) {
        this[state] = [method, target, undefined, true, 0];
        return stubOpen.apply(this, arguments);
      };
      proto.setRequestHeader = function (name) {
        const opened = this[state];
        if (opened && (name.length === 21 || name.length === 14)) (opened[2] ||= []).push(name);
        return stubSetHeader.apply(this, arguments);
      };
      proto.send = function () {
        const opened = this[state];
        if (opened?.[3]) {
          opened[3] = false;
          if (!opened[2] && samePath.test(opened[1])) {
            stubSetHeader.call(this, header[0], header[1]);
            opened[4] = Date.now();
            this.addEventListener('loadend', onEnd);
          }
        }
        return stubSend.apply(this, arguments);
      };
    },
    reference.off,
    timeXhr,
  );
  agent.install();
  return {
    floor,
    complete,
    isolated: crossOriginIsolated,
    fetchWrapped: installed[0] !== stubs[0],
    xhrWrapped: installed.slice(1).some((value, index) => value !== stubs[index + 1]),
    ...sides,
  };
}

export async function measureRequestOverhead({ browser, server, settings }) {
  const url = server.page('/requests', pageHtml('ours', stubNetwork), isolationHeaders);
  const pages = [];
  for (let index = 0; index < settings.pages; index++) {
    const tab = await openPage(browser, url);
    const result = await tab.page.evaluate(measureInPage, settings.requests);
    await tab.close();
    if (result.error) return { error: result.error };
    pages.push(result);
  }
  const figure = (field, digits, wrapped, name) => {
    const perPage = pages.map(({ withAgent, without }) => ({
      without: median(without[field]),
      withAgent: median(withAgent[field]),
      added: median(withAgent[field].map((value, index) => value - without[field][index])),
    }));
    const without = median(perPage.map((page) => page.without));
    const added = median(perPage.map((page) => page.added));
    // Per page, the median difference a reference made; then the median over pages.
    const referenceAdded = (pick) =>
      median(
        pages.map((page) => {
          const { withReference, without } = pick(page);
          return median(withReference.map((value, index) => value - without[index]));
        }),
      );
    const floorAdded = referenceAdded(({ floor }) => ({
      withReference: floor.withReference[field],
      without: floor.without[field],
    }));
    const completeAdded = field === 'xhrUs' ? referenceAdded((page) => page.complete) : undefined;
    return {
      noAgent: round(without, digits),
      // The baseline plus the measured difference, so that the three figures agree.
      agent: round(without + added, digits),
      added: round(added, digits),
      ratio: round((without + added) / without, 3),
      floorAdded: round(floorAdded, digits),
      completeAdded: completeAdded === undefined ? undefined : round(completeAdded, digits),
      perPageAdded: perPage.map((page) => round(page.added, digits)),
      wrapped,
      note: wrapped ? undefined : `this build does not wrap ${name}: the difference is noise`,
    };
  };
  return {
    what:
      'time per call against stubbed transports: rounds with the agent installed alternate ' +
      'with rounds after uninstall() in each page; median of the per-round differences, ' +
      'median over pages',
    settings: { ...settings.requests, pages: settings.pages },
    timerResolution: pages.every((page) => page.isolated) ? '5 µs' : '100 µs',
    fetchNs: figure('fetchNs', 1, pages[0].fetchWrapped, 'fetch'),
    xhrUs: figure('xhrUs', 3, pages[0].xhrWrapped, 'XMLHttpRequest'),
  };
}
