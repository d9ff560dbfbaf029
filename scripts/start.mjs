// `npm start`: build when dist/ is missing or older than the sources, then run the demo app, the
// live session viewer and the log endpoint on 127.0.0.1.
//
// On a fresh clone it first installs the locked packages (npm ci).
//
// Environment: PORT (default 5687; when it is in use, the next free one), THIRD_PARTY_PORT
// (default: the one after the app's), LOUPE_DATA_DIR (default .loupe-data; the SQLite database is
// loupe.db in it).
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensurePackages } from './ensure-packages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outputs = ['dist/loupe-agent.min.js', 'dist/server.mjs', 'dist/demo.mjs'];
const inputs = ['src', 'server', 'demo', 'rollup.config.mjs', 'tsconfig.json'];

ensurePackages(root);

function newestChange(path) {
  const full = join(root, path);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(full, { recursive: true })
    .filter((name) => /\.(ts|mts|json)$/.test(name))
    .reduce((newest, name) => Math.max(newest, statSync(join(full, name)).mtimeMs), 0);
}

const built = outputs.map((file) =>
  existsSync(join(root, file)) ? statSync(join(root, file)).mtimeMs : 0,
);
const sources = Math.max(...inputs.map(newestChange));
if (Math.min(...built) < sources) {
  console.log(
    built.includes(0) ? 'Building dist/ (first run)…' : 'Sources changed: rebuilding dist/…',
  );
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}

const toPort = (value, fallback) => {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`"${value}" is not a port number (0-65535).`);
    process.exit(1);
  }
  return port;
};
const port = toPort(process.env.PORT, undefined);
const thirdPartyPort = toPort(process.env.THIRD_PARTY_PORT, undefined);
const dataDirectory = resolve(root, process.env.LOUPE_DATA_DIR || '.loupe-data');

const { DEFAULT_PORT, startDemo } = await import(
  pathToFileURL(join(root, 'dist', 'demo.mjs')).href
);
let demo;
try {
  demo = await startDemo({
    port,
    thirdPartyPort,
    dataDirectory,
    root,
    log: (line) =>
      console.log(`  ${new Date().toLocaleTimeString([], { hour12: false })}  ${line}`),
  });
} catch (error) {
  console.error(`Could not start the demo: ${error.message}`);
  process.exit(1);
}

const asked = port ?? DEFAULT_PORT;
if (asked !== 0 && demo.port !== asked) {
  console.log(`Port ${asked} is in use: the demo took the next free one, ${demo.port}.`);
}
console.log(`
Loupe is running

  Demo app       ${demo.demoUrl}
  Live viewer    ${demo.viewerUrl}
  Log endpoint   POST ${demo.logEndpoint}
  Third-party    ${demo.thirdPartyOrigin}  (an API on another origin)
  Data           ${demo.databaseFile}

Press Ctrl+C to stop.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await demo.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
