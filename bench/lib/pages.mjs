// The pages the bench loads. Each defines `window.loupe` (or not) the way an app would have it:
// - ours:   the drop-in script, which installs itself and defines window.loupe;
// - legacy: the older @gibraltarsoftware/loupe-typescript bundle (webpack, assigns to a global
//           `exports`), constructed as its README says: new LoupeAgent(window, document);
// - noop:   a logger that does nothing, to measure the harness itself;
// - none:   no agent at all.
const scripts = {
  ours: '<script src="/dist/loupe-agent.min.js"></script>',
  legacy:
    '<script>var exports = {};</script>' +
    '<script src="/legacy/loupe.typescript.js"></script>' +
    '<script>window.loupe = new exports["loupe-typescript"].LoupeAgent(window, document);</script>',
  noop: '<script>window.loupe = { information() {} };</script>',
  none: '',
};

export const agentNames = {
  none: 'no agent',
  noop: 'no-op logger',
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
