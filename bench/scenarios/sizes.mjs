// 6. Sizes: every built entry in dist/ (the drop-in script, the ES module and the CommonJS
// build), raw, gzipped, and minified then gzipped (level 9), next to the older agent's bundle.
// The .mjs and .cjs builds are not minified in dist/ (an app's bundler minifies them), so the bench
// minifies them with terser the way a bundler would.
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { minify } from 'terser';
import { legacyBundle, projectRoot } from '../lib/server.mjs';

const gzip = (code) => gzipSync(code, { level: 9 }).length;

async function measureFile(file, minified) {
  const code = await readFile(file, 'utf8');
  const min = minified
    ? code
    : (await minify(code, { module: file.endsWith('.mjs'), compress: true, mangle: true })).code;
  return {
    file: relative(projectRoot, file),
    bytes: Buffer.byteLength(code),
    gzipBytes: gzip(code),
    minGzipBytes: gzip(min),
  };
}

export async function measureSizes() {
  const dist = join(projectRoot, 'dist');
  const files = (await readdir(dist)).filter((name) => /\.(min\.js|mjs|cjs)$/.test(name)).sort();
  if (!files.length) return { error: 'dist/ has no built entries: run npm run build first' };
  const entries = [];
  for (const name of files)
    entries.push(await measureFile(join(dist, name), name.endsWith('.min.js')));
  return {
    what: 'bytes of each built entry: raw, gzip -9, and minified + gzip -9',
    entries,
    legacy: await measureFile(legacyBundle, true),
  };
}
