// The seeded delivery fault run, for any seeds: `npm run fault-run -- --seeds=1-10` (a list such
// as 3,7,12-15 works too; the default is 1). Each seed prints what it logged, lost and
// duplicated, and fails when a message was lost or repeated beyond the cases docs/delivery.md
// names. Timing still varies from run to run: a seed that fails once may pass the next time.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensurePackages } from './ensure-packages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
ensurePackages(root);
const argument = process.argv.find((value) => value.startsWith('--seeds='));
const seeds = argument ? argument.slice('--seeds='.length) : '1';
const result = spawnSync(
  process.execPath,
  [
    fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url)),
    'run',
    '--project=faults',
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, LOUPE_FAULT_SEEDS: seeds } },
);
process.exit(result.status ?? 1);
