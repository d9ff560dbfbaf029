// Save docs/viewer.png, the picture of the live viewer in docs/demo.md: run the demo's end-to-end test in
// Chromium (it clicks every button of the demo page) and let it photograph the viewer at 1280x800.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const file = join(root, 'docs', 'viewer.png');
mkdirSync(join(root, 'docs'), { recursive: true });
const run = spawnSync(
  'npx',
  ['vitest', 'run', '--project', 'chromium', 'test/chromium/demo.test.ts'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, LOUPE_SCREENSHOT: file } },
);
if (run.status === 0) console.log(`Saved ${file}`);
process.exit(run.status ?? 1);
