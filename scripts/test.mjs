// `npm test`: installs the locked packages when they are missing, checks that the browsers the
// tests drive are installed, then runs vitest with the arguments given (`npm test -- --project
// unit`). Without a browser, its tests are left out and one line says how to install it; in CI
// (CI=true) a missing browser fails the run instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePackages } from './ensure-packages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The browser engines the tests drive: where the binary is, the Debian package that installs it,
 * the variable that points elsewhere, the vitest projects that need it and other test files that
 * do.
 */
const engines = [
  {
    name: 'Chromium',
    binary: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    aptPackage: 'chromium',
    variable: 'CHROMIUM_PATH',
    projects: ['chromium', 'faults'],
    files: ['test/package/vite-app.test.ts'],
  },
];

ensurePackages(root);

const args = process.argv.slice(2);
const missing = engines.filter((engine) => !existsSync(engine.binary));
const howToInstall = (engine) =>
  `${engine.name} is not installed at ${engine.binary} ` +
  `(install it with \`sudo apt-get install ${engine.aptPackage}\`, or set ${engine.variable})`;
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false';

if (missing.length && inCI) {
  for (const engine of missing) console.error(`${howToInstall(engine)}: CI runs every test.`);
  process.exit(1);
}

// Only when the caller did not pick projects; a picked browser project fails on its own.
const leaveOut =
  missing.length && !args.some((arg) => arg === '--project' || arg.startsWith('--project='))
    ? missing.flatMap((engine) => [
        ...engine.projects.map((project) => `--project=!${project}`),
        ...engine.files.flatMap((file) => ['--exclude', file]),
      ])
    : [];
const vitest = [join(root, 'node_modules', 'vitest', 'vitest.mjs')];

let summary = '';
if (leaveOut.length) {
  const left = missing
    .flatMap((engine) => [...engine.projects.map((name) => `the ${name} tests`), ...engine.files])
    .join(' and ');
  summary = `${missing.map(howToInstall).join('; ')}: ran ${listProjects()} without ${left}.`;
}

/** The vitest projects that run, as "unit, dom, package"; "the other tests" if unknown. */
function listProjects() {
  try {
    const list = execFileSync(
      process.execPath,
      [...vitest, 'list', '--filesOnly', '--json', ...leaveOut, ...args],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return [...new Set(JSON.parse(list).map((file) => file.projectName))].join(', ');
  } catch {
    return 'the other tests';
  }
}

const run = spawnSync(process.execPath, [...vitest, 'run', ...leaveOut, ...args], {
  cwd: root,
  stdio: 'inherit',
});
if (summary) console.log(summary);
process.exit(run.status ?? 1);
