import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPackedApp, packPackage } from '../helpers/packedApp';

// The packed package, installed into an app of its own, as a user gets it: every entry loads in
// Node, its types compile under each TypeScript module resolution, and attw finds no problem.
const root = join(import.meta.dirname, '..', '..');
const workspace = mkdtempSync(join(tmpdir(), 'loupe-packed-'));
const app = join(workspace, 'app');
let tarball = '';

beforeAll(() => {
  tarball = packPackage(workspace);
  installPackedApp(app, tarball);
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const node = (code: string, type: 'module' | 'commonjs') =>
  execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], {
    cwd: app,
    encoding: 'utf8',
  }).trim();

describe('in Node', () => {
  it('imports every entry as ES modules without touching globals', () => {
    const output = node(
      `const before = Object.getOwnPropertyNames(globalThis).join();
       const agent = await import('loupe-agent');
       const jquery = await import('loupe-agent/jquery');
       const server = await import('loupe-agent/server');
       await import('loupe-agent/loupe-agent.min.js');
       await import('loupe-agent/loupe-agent.jquery.min.js');
       console.log(typeof agent.install, typeof agent.createAgent, typeof agent.MethodSourceInfo,
         agent.logMessageSeverity.error, agent.install().diagnostics().installed,
         typeof jquery.attachLoupe, typeof server.createLoupeMiddleware,
         typeof server.validateLogRequest,
         Object.getOwnPropertyNames(globalThis).join() === before);`,
      'module',
    );
    expect(output).toBe('function function function 2 false function function function true');
  });

  it('requires every entry from CommonJS', () => {
    const output = node(
      `const agent = require('loupe-agent');
       const jquery = require('loupe-agent/jquery');
       const server = require('loupe-agent/server');
       const scripts = ['loupe-agent/loupe-agent.min.js', 'loupe-agent/loupe-agent.jquery.min.js']
         .map((entry) => require.resolve(entry).replace(/.*node_modules/, ''));
       console.log(typeof agent.install, agent.logMessageSeverity.verbose,
         typeof jquery.attachLoupe, typeof server.createLoupeMiddleware, scripts.join(' '));`,
      'commonjs',
    );
    expect(output).toBe(
      'function 16 function function ' +
        '/loupe-agent/dist/loupe-agent.min.js /loupe-agent/dist/loupe-agent.jquery.min.js',
    );
  });
});

// One use of each entry; the @ts-expect-error lines fail the compile if a type were `any`.
const usage = `
import { type Agent, createAgent, install, logMessageSeverity } from 'loupe-agent';
import { attachLoupe, type JQueryWithLoupe } from 'loupe-agent/jquery';
import { createLoupeMiddleware, type LogBatch, validateLogRequest } from 'loupe-agent/server';

const agent: Agent = install({ logServer: 'https://logs.example.com', batchSize: 100 });
agent.information('Category', 'Caption', 'Description');
createAgent().write(logMessageSeverity.warning, 'Category', 'Caption', 'Description');
declare const jQuery: JQueryWithLoupe;
attachLoupe(jQuery, agent);
const middleware = createLoupeMiddleware({
  allowedOrigins: ['https://app.example.com'],
  store: { saveBatch: (batch: LogBatch) => void batch.messages.length },
});
void middleware;
const valid: boolean = validateLogRequest({ logMessages: [] }).ok;
void valid;
// @ts-expect-error: the option is logServer
install({ logserver: 'https://logs.example.com' });
// @ts-expect-error: a store saves batches
createLoupeMiddleware({ store: {} });
`;

const resolutions = {
  node10: { module: 'commonjs', moduleResolution: 'node10', files: ['usage.ts'] },
  node16: { module: 'node16', moduleResolution: 'node16', files: ['usage.mts', 'usage.cts'] },
  bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['usage.ts'] },
};

describe('TypeScript', () => {
  for (const [name, { module, moduleResolution, files }] of Object.entries(resolutions)) {
    it(`type-checks every entry with moduleResolution ${name}`, () => {
      const directory = join(app, name);
      rmSync(directory, { recursive: true, force: true });
      mkdirSync(directory);
      for (const file of files) writeFileSync(join(directory, file), usage);
      writeFileSync(
        join(directory, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module,
            moduleResolution,
            target: 'ES2020',
            lib: ['ES2020', 'DOM'],
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            typeRoots: [join(root, 'node_modules/@types')],
            types: ['node'],
          },
          files,
        }),
      );
      // Throws with the compiler's messages when an entry does not resolve or type-check.
      execFileSync(
        process.execPath,
        [join(root, 'node_modules/typescript/bin/tsc'), '-p', directory],
        {
          encoding: 'utf8',
        },
      );
    });
  }

  it('passes attw for the three code entries', () => {
    // The two .min.js files are browser scripts, not modules: they carry no types.
    const output = execFileSync(
      join(root, 'node_modules/.bin/attw'),
      [
        tarball,
        '--format',
        'json',
        '--exclude-entrypoints',
        'loupe-agent.min.js',
        'loupe-agent.jquery.min.js',
      ],
      { encoding: 'utf8' },
    );
    const report = JSON.parse(output) as {
      analysis: { entrypoints: Record<string, unknown>; problems: unknown[] };
    };
    expect(Object.keys(report.analysis.entrypoints)).toEqual([
      '.',
      './jquery',
      './server',
      './package.json',
    ]);
    expect(report.analysis.problems).toEqual([]);
  });
});
