import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** The package exactly as npm would publish it, from the dist/ already built. Returns its path. */
export function packPackage(destination: string): string {
  // --ignore-scripts: `prepack` would build again; the callers build first.
  const name = execFileSync(
    'npm',
    ['pack', '--ignore-scripts', '--silent', '--pack-destination', destination],
    { cwd: root, encoding: 'utf8' },
  )
    .trim()
    .split('\n')
    .pop()!;
  return join(destination, name);
}

/**
 * Creates an app in `directory` that depends on the packed `tarball`, and installs it with
 * `npm ci --offline`. The app's lock file takes the package's own dependencies from this
 * repository's lock file, so npm finds them in its cache (after `npm ci` here) and never asks the
 * registry.
 */
export function installPackedApp(
  directory: string,
  tarball: string,
  packageJson: Record<string, unknown> = {},
): void {
  mkdirSync(directory, { recursive: true });
  const rootLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    license: string;
    dependencies?: Record<string, string>;
  };
  const spec = `file:${relative(directory, tarball)}`;
  const packages: Record<string, LockEntry> = {
    '': { name: 'app', dependencies: { [manifest.name]: spec } },
    [`node_modules/${manifest.name}`]: {
      version: manifest.version,
      resolved: spec,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      license: manifest.license,
      ...(manifest.dependencies && { dependencies: manifest.dependencies }),
    },
  };
  // The dependencies are hoisted in the repository's lock, as they will be in the app's.
  const pending = Object.keys(manifest.dependencies ?? {});
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const key = `node_modules/${name}`;
    if (packages[key]) continue;
    const entry = rootLock.packages[key];
    if (!entry) throw new Error(`${name} is not in package-lock.json`);
    packages[key] = { ...entry, dev: undefined, peer: undefined };
    pending.push(...Object.keys(entry.dependencies ?? {}));
  }
  writeFileSync(
    join(directory, 'package.json'),
    JSON.stringify({
      name: 'app',
      private: true,
      ...packageJson,
      dependencies: { [manifest.name]: spec },
    }),
  );
  writeFileSync(
    join(directory, 'package-lock.json'),
    JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages }),
  );
  execFileSync(
    'npm',
    ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
    { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}
