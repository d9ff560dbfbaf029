import { execSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

function newestMtime(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Build dist/ unless it is newer than every source and build file. */
export function ensureBuilt(): void {
  const sources = Math.max(
    newestMtime(join(root, 'src')),
    statSync(join(root, 'rollup.config.mjs')).mtimeMs,
    statSync(join(root, 'package.json')).mtimeMs,
  );
  let built = 0;
  try {
    built = Math.min(
      ...readdirSync(join(root, 'dist'))
        .filter((name) => /\.(m?js|cjs|d\.ts)$/.test(name))
        .map((name) => statSync(join(root, 'dist', name)).mtimeMs),
    );
  } catch {}
  if (built > sources) return;
  execSync('npx rollup -c --silent', { cwd: root, stdio: 'inherit' });
}
