// The pages the bench loads. Each defines `window.loupe` (or not) the way an app would have it:
// - ours:   the drop-in script, which installs itself and defines window.loupe;
// - legacy: the older @gibraltarsoftware/loupe-typescript bundle (webpack, assigns to a global
//           `exports`), constructed as its README says: new LoupeAgent(window, document);
// - noop:   a logger that does nothing, to measure the harness itself;
// - reference: the least a logger that keeps its messages can do (below);
// - none:   no agent at all.

// A reference for the log-call figures: a logger that does only what any logger that keeps its
// messages must do. It serializes each message (the contract's fields), batches up to 60 KiB or one
// second, keeps each batch in localStorage until the server answered, and sends it with fetch at
// once. No checks, no safe copies, no time zone, no limits, no retries, no second tab, and no
// keepalive: requests in flight together would overrun the page's 64 KiB keepalive quota.
const referenceLogger = `(() => {
  const id = crypto.randomUUID ? crypto.randomUUID() : String(Math.random());
  let batch = [], chars = 0, sequence = 0, batches = 0, timer = 0;
  const send = () => {
    clearTimeout(timer);
    timer = 0;
    const key = 'reference:' + ++batches;
    const body = '{"session":{"currentAgentSessionId":"' + id + '"},"logMessages":[' +
      batch.join(',') + ']}';
    batch = [];
    chars = 0;
    try { localStorage.setItem(key, body); } catch {}
    fetch('/loupe/log', { method: 'POST', body })
      .then((response) => response.text())
      .then(() => localStorage.removeItem(key), () => {});
  };
  window.loupe = {
    information(category, caption, description) {
      const json = JSON.stringify({ severity: 8, category, caption, description,
        timeStamp: new Date().toISOString(), sequence: ++sequence, agentSessionId: id });
      if (chars + json.length > 61440) send();
      batch.push(json);
      chars += json.length + 1;
      timer ||= setTimeout(send, 1000);
    },
  };
})();`;

const scripts = {
  ours: '<script src="/dist/loupe-agent.min.js"></script>',
  legacy:
    '<script>var exports = {};</script>' +
    '<script src="/legacy/loupe.typescript.js"></script>' +
    '<script>window.loupe = new exports["loupe-typescript"].LoupeAgent(window, document);</script>',
  noop: '<script>window.loupe = { information() {} };</script>',
  reference: `<script>${referenceLogger}</script>`,
  none: '',
};

export const agentNames = {
  none: 'no agent',
  noop: 'no-op logger',
  reference: 'reference logger',
  legacy: 'older agent',
  ours: 'loupe-agent',
};

/**
 * An HTML page with `agent` loaded. `prelude` runs first (e.g. stubbing the network); then
 * `benchAgentStart` marks the moment the agent's script starts loading.
 */
export function pageHtml(agent, prelude = '') {
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>bench</title>' +
    `<script>${prelude};window.benchAgentStart = performance.now();</script>` +
    scripts[agent] +
    '</head><body><p>bench</p></body></html>'
  );
}

/**
 * Response headers that make a page cross-origin isolated, which gives performance.now() a 5 µs
 * resolution instead of 100 µs. Everything the bench pages load is same-origin, so nothing else
 * changes.
 */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
