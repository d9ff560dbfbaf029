import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const node = (code: string, type: 'module' | 'commonjs') =>
  execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], {
    cwd: root,
    encoding: 'utf8',
  });

it('imports the ES module entry in Node without touching globals', () => {
  const output = node(
    `const before = Object.getOwnPropertyNames(globalThis).length;
     const m = await import('loupe-agent');
     const agent = m.install();
     console.log(typeof m.createAgent, typeof m.MethodSourceInfo, m.logMessageSeverity.error,
       Object.getOwnPropertyNames(globalThis).length === before, agent.diagnostics().installed);`,
    'module',
  );
  expect(output.trim()).toBe('function function 2 true false');
});

it('requires the CommonJS entry', () => {
  const output = node(
    `const m = require('loupe-agent');
     console.log(typeof m.createAgent, typeof m.install, m.logMessageSeverity.verbose);`,
    'commonjs',
  );
  expect(output.trim()).toBe('function function 16');
});

it('imports and requires the jQuery plugin entry', () => {
  const esm = node(
    `const m = await import('loupe-agent/jquery'); console.log(typeof m.attachLoupe);`,
    'module',
  );
  expect(esm.trim()).toBe('function');
  const cjs = node(`console.log(typeof require('loupe-agent/jquery').attachLoupe);`, 'commonjs');
  expect(cjs.trim()).toBe('function');
});

it('imports and requires the server entry', () => {
  const esm = node(
    `const m = await import('loupe-agent/server');
     console.log(typeof m.createLoupeMiddleware, typeof m.validateLogRequest);`,
    'module',
  );
  expect(esm.trim()).toBe('function function');
  const cjs = node(
    `const m = require('loupe-agent/server'); console.log(typeof m.createLoupeMiddleware);`,
    'commonjs',
  );
  expect(cjs.trim()).toBe('function');
});

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
