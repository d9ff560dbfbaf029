import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The project's shape, checked on every run: no file under src/ past 300 lines, and no import
// cycle among them (type-only imports included: a cycle of types is still two files that cannot
// be understood apart).

const MAX_LINES = 300;
const root = resolve(import.meta.dirname, '..', '..');
const src = join(root, 'src');

/** Every .ts file under `directory`, as absolute paths. */
function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Lines as an editor shows them: a final newline ends the last line, it starts none. */
const countLines = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/**
 * The relative module specifiers a file imports or re-exports: `import … from './x'`,
 * `import type … from './x'`, `export … from './x'` and `import './x'`. Only statements that
 * start a line count, so examples inside comments do not.
 */
export function relativeImports(text: string): string[] {
  const statements = [
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/gm,
    /^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm,
  ];
  return statements.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]!));
}

/** The file a specifier means, as the bundler resolves it: `x.ts`, or `x/index.ts`. */
function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, base + '.ts', join(base, 'index.ts')].find(
    (candidate) => candidate.endsWith('.ts') && existsSync(candidate),
  );
}

/**
 * The import cycles of a graph (file to the files it imports), each as the files along it with
 * the first repeated at the end. Depth-first: a file met again while still on the path closes a
 * cycle. Each cycle is reported once, from the first of its files that the search reached.
 */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string) => {
    const open = path.indexOf(file);
    if (open >= 0) {
      cycles.push([...path.slice(open), file]);
      return;
    }
    if (done.has(file)) return;
    path.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    path.pop();
    done.add(file);
  };
  for (const file of graph.keys()) visit(file);
  return cycles;
}

describe('architecture', () => {
  const files = sourceFiles(src);
  const name = (file: string) => relative(root, file);

  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files).toContain(join(src, 'delivery', 'createDelivery.ts'));
  });

  it(`keeps every file under src/ to ${MAX_LINES} lines`, () => {
    const tooLong = files
      .map((file) => [name(file), countLines(readFileSync(file, 'utf8'))] as const)
      .filter(([, lines]) => lines > MAX_LINES)
      .map(([file, lines]) => `${file}: ${lines} lines`);
    expect(tooLong, `files over ${MAX_LINES} lines; split them by concern`).toEqual([]);
  });

  it('resolves every relative import to a file under src/', () => {
    const unresolved = files.flatMap((file) =>
      relativeImports(readFileSync(file, 'utf8'))
        .filter((specifier) => !resolveImport(file, specifier))
        .map((specifier) => `${name(file)} imports ${specifier}`),
    );
    expect(unresolved).toEqual([]);
  });

  it('has no import cycle among the files under src/, type-only imports included', () => {
    const graph = new Map(
      files.map((file) => [
        name(file),
        relativeImports(readFileSync(file, 'utf8')).flatMap((specifier) => {
          const target = resolveImport(file, specifier);
          return target ? [name(target)] : [];
        }),
      ]),
    );
    const cycles = findCycles(graph).map((cycle) => cycle.join(' -> '));
    expect(cycles, 'import cycles; move what both sides need into a file of its own').toEqual([]);
  });
});

describe('the architecture checks themselves', () => {
  it('read import, import type, re-export and side-effect statements, not comments', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      'import {',
      '  c,',
      '  type D,',
      "} from './c/index';",
      "export { e } from './e';",
      "export type { F } from './f';",
      "import './g';",
      "import { h } from 'package';",
      " * import { i } from './in-a-comment';",
    ].join('\n');
    expect(relativeImports(text)).toEqual(['./a', '../b', './c/index', './e', './f', './g']);
  });

  it('find a cycle and name its files, and none in a graph without one', () => {
    const cyclic = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
    ]);
    expect(findCycles(cyclic)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
    const acyclic = new Map([
      ['a.ts', ['b.ts', 'c.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', []],
    ]);
    expect(findCycles(acyclic)).toEqual([]);
  });
});
