// Run the seeded delivery fault run for any seeds: node scripts/fault-run.mjs --seeds=1-10
// (a list like 3,7,12-15 works too). Each seed prints what it logged, lost and duplicated.
import { spawnSync } from 'node:child_process';

const argument = process.argv.find((value) => value.startsWith('--seeds='));
const seeds = argument ? argument.slice('--seeds='.length) : '1';
const result = spawnSync(
  'npx',
  ['vitest', 'run', 'test/chromium/faultRun.test.ts', '--reporter=verbose'],
  { stdio: 'inherit', env: { ...process.env, LOUPE_FAULT_SEEDS: seeds } },
);
process.exit(result.status ?? 1);
