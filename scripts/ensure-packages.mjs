// Shared by `npm start` and `npm test`: on a fresh clone, install the locked packages first, so
// that these two commands are all the set-up there is. Node built-ins only: nothing else is there
// yet.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Runs `npm ci` in `root` when its node_modules is missing or was never completely installed. */
export function ensurePackages(root) {
  // npm writes this file last, once an install has succeeded.
  if (existsSync(join(root, 'node_modules', '.package-lock.json'))) return;
  console.log('Installing the locked packages first (npm ci)…');
  try {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    console.error('npm ci failed (see above): fix the cause, then run the command again.');
    process.exit(1);
  }
}
