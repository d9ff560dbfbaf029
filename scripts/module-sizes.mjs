// What each source module costs in the drop-in script: minified bytes (and gzip of that module
// alone, which overstates it: the whole file compresses better than its parts). Sorted, largest
// first, with a total per folder. Use it to see where the size budget goes.
import { gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { rollup } from 'rollup';
import { minify } from 'terser';

const bundle = await rollup({
  input: 'src/dropin.ts',
  onwarn() {},
  plugins: [
    nodeResolve({ browser: true }),
    typescript({
      tsconfig: './tsconfig.json',
      compilerOptions: { noEmit: false, declaration: false, target: 'ES2020' },
      include: ['src/**/*.ts'],
    }),
  ],
});
const { output } = await bundle.generate({ format: 'es' });
const rows = [];
const folders = new Map();
for (const [id, info] of Object.entries(output[0].modules)) {
  if (!info.code) continue;
  const { code = '' } = await minify(info.code, { compress: { passes: 2 }, mangle: true });
  const name = id.replace(process.cwd() + '/', '').replace(/^node_modules\//, '');
  const folder = name.split('/').slice(0, -1).join('/');
  rows.push([name, code.length, gzipSync(code, { level: 9 }).length]);
  folders.set(folder, (folders.get(folder) ?? 0) + code.length);
}
rows.sort((a, b) => b[1] - a[1]);
console.log('   min  gzip  module');
for (const [name, min, gz] of rows)
  console.log(String(min).padStart(6), String(gz).padStart(5), ' ', name);
console.log('\n   min  folder');
for (const [folder, min] of [...folders].sort((a, b) => b[1] - a[1])) {
  console.log(String(min).padStart(6), ' ', folder);
}
console.log(String(rows.reduce((sum, row) => sum + row[1], 0)).padStart(6), '  total minified');
