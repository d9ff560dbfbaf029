// npm run bench [-- --quick] [-- --only=requests,log,backlog,storm,sizes] [-- --out=file.json]
//
// Measures what the agent costs a page in real Chromium, against a page without it and against
// the older @gibraltarsoftware/loupe-typescript agent, and prints one table. The full run writes
// bench/results.json; --quick (or BENCH_QUICK=1) runs fewer pages and iterations, for CI, and
// writes nothing unless --out is given. The figures are medians over fresh browser contexts.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchBrowser } from './lib/browser.mjs';
import { describeMachine } from './lib/machine.mjs';
import { legacyBundle, projectRoot, startBenchServer } from './lib/server.mjs';
import { buildTable, legend, renderTable } from './lib/table.mjs';
import { measureBacklog } from './scenarios/backlog.mjs';
import { measureErrorStorm } from './scenarios/errorStorm.mjs';
import { measureLogCalls } from './scenarios/logCalls.mjs';
import { measureRequestOverhead } from './scenarios/requestOverhead.mjs';
import { measureSizes } from './scenarios/sizes.mjs';

const SETTINGS = {
  full: {
    pages: 5,
    requests: { fetchIterations: 5000, xhrIterations: 500, rounds: 40 },
    log: { count: 1000, chunk: 50, deliveryTimeout: 15_000, quiet: 500, warmRounds: 4 },
    backlog: {
      pages: 3,
      counts: [1000, 5000],
      settle: 1000,
      timeout: 8000,
      drainTimeout: 5000,
    },
    storm: { pages: 3, count: 10_000, legacyCount: 1000, quiet: 1500, timeout: 30_000 },
    limitMs: 15 * 60_000,
  },
  quick: {
    pages: 1,
    requests: { fetchIterations: 2000, xhrIterations: 200, rounds: 10 },
    log: { count: 1000, chunk: 50, deliveryTimeout: 10_000, quiet: 500, warmRounds: 4 },
    backlog: { pages: 1, counts: [1000], settle: 1000, timeout: 4000, drainTimeout: 3000 },
    storm: { pages: 1, count: 2000, legacyCount: 200, quiet: 1200, timeout: 10_000 },
    limitMs: 3 * 60_000,
  },
};

const SCENARIOS = {
  requests: ['requests', measureRequestOverhead],
  log: ['logCalls', measureLogCalls],
  backlog: ['backlog', measureBacklog],
  storm: ['errorStorm', measureErrorStorm],
  sizes: ['sizes', measureSizes],
};

function parseArguments(argv) {
  const options = { quick: process.env.BENCH_QUICK === '1', only: Object.keys(SCENARIOS) };
  for (const argument of argv) {
    const [name, value] = argument.split('=');
    if (name === '--quick') options.quick = true;
    else if (name === '--only' && value) options.only = value.split(',');
    else if (name === '--out' && value) options.out = value;
    else throw new Error(`unknown argument ${argument}; see the top of bench/run.mjs`);
  }
  const unknown = options.only.filter((name) => !SCENARIOS[name]);
  if (unknown.length) {
    throw new Error(`unknown scenario ${unknown}; choose from ${Object.keys(SCENARIOS)}`);
  }
  options.out ??= options.quick ? undefined : join(projectRoot, 'bench', 'results.json');
  return options;
}

/** JSON formatted the way the repository's Prettier config would, so `npm run lint` passes. */
async function formatJson(value, file) {
  const text = JSON.stringify(value, null, 2) + '\n';
  try {
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...config, filepath: file });
  } catch {
    return text;
  }
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const mode = options.quick ? 'quick' : 'full';
  const settings = SETTINGS[mode];
  if (!existsSync(join(projectRoot, 'dist', 'loupe-agent.min.js'))) {
    throw new Error('dist/loupe-agent.min.js is missing: run npm run build first');
  }
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${settings.limitMs / 1000} s; giving up`);
    process.exit(1);
  }, settings.limitMs);
  watchdog.unref();

  const began = Date.now();
  const [browser, server] = await Promise.all([launchBrowser(), startBenchServer()]);
  const results = {};
  let failed = false;
  try {
    for (const name of options.only) {
      const [key, measure] = SCENARIOS[name];
      const start = Date.now();
      process.stderr.write(`bench: ${name}… `);
      try {
        results[key] = await measure({ browser, server, settings });
      } catch (error) {
        // A bug in the bench itself: report it, go on with the rest, and fail at the end.
        failed = true;
        results[key] = { error: `the bench failed: ${error?.stack ?? error}` };
      }
      process.stderr.write(`${((Date.now() - start) / 1000).toFixed(1)} s\n`);
    }
    const table = buildTable(results);
    const legacyVersion = JSON.parse(
      readFileSync(join(legacyBundle, '..', '..', 'package.json'), 'utf8'),
    ).version;
    const report = {
      date: new Date().toISOString(),
      mode,
      durationS: Math.round((Date.now() - began) / 1000),
      machine: describeMachine(browser),
      olderAgent: `@gibraltarsoftware/loupe-typescript ${legacyVersion}`,
      settings,
      table,
      results,
    };
    const { machine } = report;
    console.log(
      `\nloupe-agent bench (${mode}), ${report.date.slice(0, 10)}: ${machine.cpu}, ` +
        `${machine.cores} cores (load ${machine.loadAverage[0]}), Chromium ${machine.chromium}, ` +
        `Node ${machine.node}\n`,
    );
    console.log(
      renderTable(table, {
        figure: 'Figure (median over fresh pages)',
        baseline: 'Baseline',
        legacy: 'Older agent',
        ours: 'loupe-agent',
        comparison: 'Comparison',
      }),
    );
    console.log('\n' + legend(legacyVersion).join('\n'));
    if (options.out) {
      await writeFile(options.out, await formatJson(report, options.out));
      console.log(`\nWrote ${options.out}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench: ${error?.message ?? error}`);
    process.exit(1);
  },
);
