import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

it('passes publint', () => {
  const output = execFileSync('npx', ['publint', '--strict'], { cwd: root, encoding: 'utf8' });
  expect(output).not.toMatch(/error|warning/i);
});

it('compiles correct uses of the published types and rejects misuse', () => {
  // Throws with the compiler's output when a correct use fails or a misuse compiles.
  execFileSync('npx', ['tsc', '-p', join(root, 'test/types/tsconfig.json')], {
    cwd: root,
    encoding: 'utf8',
  });
});
