// The results as rows of a table: figure, baseline, older agent, loupe-agent, comparison.
// A cell that could not be measured reads "n/a" and points at a numbered note with the reason.

const integer = (value) => Math.round(value).toLocaleString('en-US');
const decimal = (value, digits) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const signed = (value, digits) => (value >= 0 ? '+' : '') + decimal(value, digits);
const times = (ours, theirs) => (theirs ? decimal(ours / theirs, 2) + '× older' : '');

export function buildTable(results) {
  const rows = [];
  const notes = [];
  const note = (text) => {
    if (!text) return '';
    let index = notes.indexOf(text);
    if (index < 0) index = notes.push(text) - 1;
    return ` [${index + 1}]`;
  };
  const number = (value, format) => (typeof value === 'number' ? format(value) : 'n/a');
  const row = (figure, baseline, legacy, ours, comparison = '') =>
    rows.push({ figure, baseline, legacy, ours, comparison });
  const failed = (figure, error) => row(figure, '', '', 'n/a' + note(error));

  const { requests, logCalls, backlog, errorStorm, sizes } = results;

  if (requests?.error) failed('fetch / XHR overhead', requests.error);
  else if (requests) {
    const { fetchNs, xhrUs } = requests;
    row(
      'fetch: ns per await fetch()',
      decimal(fetchNs.noAgent, 0),
      '–',
      decimal(fetchNs.agent, 0) + note(fetchNs.note),
      signed(fetchNs.added, 0) + ' ns',
    );
    row(
      'XHR: µs per open + setRequestHeader + send',
      decimal(xhrUs.noAgent, 2),
      '–',
      decimal(xhrUs.agent, 2) + note(xhrUs.note),
      signed(xhrUs.added, 2) + ' µs',
    );
    if (typeof fetchNs.floorAdded === 'number') {
      row(
        'floor: what a minimal reference patch adds to fetch / to XHR',
        '',
        '',
        decimal(fetchNs.floorAdded, 0) + ' ns / ' + decimal(xhrUs.floorAdded, 2) + ' µs',
      );
    }
    if (typeof xhrUs.completeAdded === 'number') {
      row(
        'floor: the XHR patch that also checks the origin, app headers, start',
        '',
        '',
        decimal(xhrUs.completeAdded, 2) + ' µs',
      );
    }
  }

  if (logCalls?.error) failed('log call', logCalls.error);
  else if (logCalls) {
    const { noop, reference, legacy, ours, settings } = logCalls;
    const count = integer(settings.count);
    for (const [field, label] of [
      ['meanUs', `log call: µs per information(), mean of ${count} on a fresh page`],
      [
        'steadyUs',
        `log call: µs per information(), steady (median of chunks of ${settings.chunk})`,
      ],
      ['amortizedUs', 'log call: µs main thread per call, amortized (timers, storage, sending)'],
    ]) {
      row(
        label,
        decimal(noop[field], 2),
        decimal(legacy[field], 2),
        decimal(ours[field], 2),
        times(ours[field], legacy[field]),
      );
    }
    // The agent's own share: each page's amortized figure less the floor measured right after it
    // (the median of those differences).
    for (const [label, floor, own] of [
      [
        "log call: the same, less the browser's cost of sending the same requests",
        ours.floorUs,
        ours.ownUs,
      ],
      [
        'log call: amortized on a warm page (after as many calls), less its floor',
        ours.warmFloorUs,
        ours.warmOwnUs,
      ],
    ]) {
      if (typeof floor === 'number' && typeof own === 'number') {
        row(label, decimal(floor, 2) + ' floor', '–', decimal(own, 2), '');
      }
    }
    for (const [label, value] of [
      ["log call: the agent's own main thread per call, profiled, fresh page", ours.profiledUs],
      [
        `log call: the same in steady state (after ${integer(settings.warmRounds * settings.count)} calls)`,
        ours.steadyProfiledUs,
      ],
    ]) {
      if (typeof value === 'number') row(label, '', '–', decimal(value, 2));
    }
    if (reference) {
      row(
        'reference: a minimal logger, µs mean / amortized on a fresh page',
        '',
        '',
        decimal(reference.meanUs, 2) +
          ' / ' +
          decimal(reference.amortizedUs, 2) +
          note(reference.note),
      );
      row(
        'reference: the same logger profiled, fresh page / steady state',
        '',
        '',
        number(reference.profiledUs, (value) => decimal(value, 2)) +
          ' / ' +
          number(reference.steadyProfiledUs, (value) => decimal(value, 2)),
      );
    }
    const burst = `burst of ${count}`;
    row(
      `${burst}: log requests`,
      '',
      integer(legacy.requests),
      integer(ours.requests),
      times(ours.requests, legacy.requests),
    );
    row(
      `${burst}: bytes sent (request line + headers + body)`,
      '',
      integer(legacy.wireBytes) + note(legacy.note),
      integer(ours.wireBytes) + note(ours.note),
      times(ours.wireBytes, legacy.wireBytes),
    );
    row(
      `${burst}: ms until the server had every message`,
      '',
      number(legacy.deliveredMs, integer) + note(legacy.note),
      number(ours.deliveredMs, integer) + note(ours.note),
      typeof ours.deliveredMs === 'number' ? times(ours.deliveredMs, legacy.deliveredMs) : '',
    );
  }

  if (backlog?.error) failed('backlog', backlog.error);
  else if (backlog) {
    for (const [count, { legacy, ours }] of Object.entries(backlog.counts)) {
      const label = `backlog of ${integer(Number(count))}`;
      const cell = (side, field) => number(side[field], integer) + note(side.note);
      row(
        `${label}: ms from page start to its first /loupe/log request`,
        '',
        cell(legacy, 'firstBatchMs'),
        cell(ours, 'firstBatchMs'),
        typeof ours.firstBatchMs === 'number' ? times(ours.firstBatchMs, legacy.firstBatchMs) : '',
      );
      const drained = (side) =>
        typeof side.drainedMs === 'number'
          ? integer(side.drainedMs)
          : typeof side.delivered === 'number'
            ? `> ${integer(backlog.settings.drainTimeout)} (${integer(side.delivered)} sent)`
            : 'n/a';
      row(
        `${label}: ms from page start until the server had all of it`,
        '',
        drained(legacy) + note(legacy.note),
        drained(ours) + note(ours.note),
        typeof ours.drainedMs === 'number' && typeof legacy.drainedMs === 'number'
          ? times(ours.drainedMs, legacy.drainedMs)
          : '',
      );
    }
  }

  if (errorStorm?.error) failed('error storm', errorStorm.error);
  else if (errorStorm) {
    const { none, legacy, ours } = errorStorm;
    const legacyNote = note(
      legacy.errors !== ours.errors
        ? `the older agent runs a smaller storm (${integer(legacy.errors)} errors): it sends one ` +
            'request per error and its cost per error grows with the storm; 10,000 errors keep ' +
            'its page busy for many minutes'
        : '',
    );
    row(
      `error storm of ${integer(ours.errors)}: main-thread ms per error`,
      decimal(none.perErrorMs, 3),
      decimal(legacy.perErrorMs, 3) + legacyNote,
      decimal(ours.perErrorMs, 3) + note(ours.note),
      signed(ours.addedMs, 3) + ' ms',
    );
    row(
      `error storm of ${integer(ours.errors)}: messages sent (requests)`,
      integer(none.messages),
      `${integer(legacy.messages)} (${integer(legacy.requests)})` + legacyNote,
      `${integer(ours.messages)} (${integer(ours.requests)})`,
    );
  }

  if (sizes?.error) failed('sizes', sizes.error);
  else if (sizes) {
    for (const entry of sizes.entries) {
      const dropIn = entry.file.endsWith('.min.js');
      row(
        `size: ${entry.file}, bytes min+gzip`,
        '',
        dropIn ? integer(sizes.legacy.minGzipBytes) : '',
        integer(entry.minGzipBytes),
        dropIn ? times(entry.minGzipBytes, sizes.legacy.minGzipBytes) : '',
      );
    }
  }
  return { rows, notes };
}

/** What the columns mean, printed under the table. */
export function legend(legacyVersion) {
  return [
    'Baseline: the same page without an agent (fetch, XHR, error storm), or with a logger that does',
    'nothing (log calls: the cost of the loop itself). Older agent: @gibraltarsoftware/loupe-typescript',
    `${legacyVersion}. Comparison: what loupe-agent adds to the baseline (+), or loupe-agent divided by`,
    "the older agent (×, lower is better). Floor: the no-op logger's loop followed by plain fetch",
    'requests of the sizes loupe-agent sent, so what the browser itself spends on sending; for',
    'fetch and XHR, a hand-written patch that only adds one header and watches each request end;',
    'the second XHR floor also leaves app-set correlation headers alone, checks that the URL is a',
    'same-origin path, and notes when the request started, as the agent must.',
    'Reference: a logger that only serializes, batches, keeps each batch in localStorage until it',
    "is answered, and sends it. Profiled: the agent's own code and what it calls, without the",
    "browser's network send, plus all garbage collection, from a CPU profile of the page.",
  ];
}

/** The table as aligned text. */
export function renderTable({ rows, notes }, headings) {
  const columns = ['figure', 'baseline', 'legacy', 'ours', 'comparison'];
  const all = [headings, ...rows];
  const widths = columns.map((column) => Math.max(...all.map((row) => String(row[column]).length)));
  const line = (row) =>
    columns
      .map((column, index) =>
        index === 0
          ? String(row[column]).padEnd(widths[index])
          : String(row[column]).padStart(widths[index]),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [
    line(headings),
    rule,
    ...rows.map(line),
    '',
    ...notes.map((text, index) => `[${index + 1}] ${text}`),
  ].join('\n');
}
