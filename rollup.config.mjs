import { fileURLToPath } from 'node:url';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

// One plugin setup shared by every output: TypeScript to modern JS.
const compile = () =>
  typescript({
    tsconfig: './tsconfig.json',
    compilerOptions: { noEmit: false, declaration: false, target: 'ES2020' },
    include: ['src/**/*.ts'],
  });

const minify = () =>
  terser({
    ecma: 2020,
    compress: { passes: 3, unsafe_arrows: true, pure_getters: true },
    // Property names stay as they are, except these internal ones, named nowhere in the public
    // API, the wire format or the browser APIs the agent calls: the agent context's
    // (src/context.ts), the delivery context's and the delivery's own, the log server's, the
    // session's, the delivery's chunks' (src/delivery/queue.ts), the observables', the error
    // gate's and assembly's. Some are also DOM names, hence `builtins`.
    mangle: {
      properties: {
        builtins: true,
        regex:
          /^(owner|number|items|bytes|saved|parts|track|scope|options|requestOutcomes|correlationHeaders|logOrigin|jQueryPrefilters|xhrStateKey|nextSequence|reclaim|endpoint|envelope|enqueue|start|stop|subscribe|notify|observed|takeDropped|onPage|capture|reportDropped|pageFetch|beaconable|propagatesErrors|requestCredentials|droppedCounts|letGo|deliver|baseUrl)$/,
      },
    },
    format: { comments: false },
  });

const moduleBuild = (input, name) => ({
  input,
  plugins: [compile()],
  output: [
    { file: `dist/${name}.mjs`, format: 'es', sourcemap: true },
    { file: `dist/${name}.cjs`, format: 'cjs', sourcemap: true, exports: 'named' },
  ],
});

// The drop-in scripts run only in pages: src/environment.ts says so to them.
const pageOnly = () => {
  const environment = fileURLToPath(new URL('src/environment.ts', import.meta.url));
  return {
    name: 'page-only',
    load: (id) => (id == environment ? 'export const PAGE_ONLY = true;' : null),
  };
};

const scriptBuild = (input, file) => ({
  input,
  plugins: [pageOnly(), nodeResolve({ browser: true }), compile()],
  output: { file: `dist/${file}`, format: 'iife', plugins: [minify()], sourcemap: true },
});

const typesBuild = (input, name) => ({
  input,
  plugins: [dts()],
  output: [{ file: `dist/${name}.d.ts` }, { file: `dist/${name}.d.cts` }],
});

// Node-side builds: the server middleware (`loupe-agent/server`, Node built-ins only) and the
// `npm start` demo that runs it.
const nodeExternal = (id) => id.startsWith('node:') || id === 'node-sqlite3-wasm';
const compileNode = (tsconfig) =>
  typescript({
    tsconfig,
    compilerOptions: { noEmit: false, declaration: false },
    include: ['server/**/*.ts', 'demo/**/*.ts'],
  });

export default [
  moduleBuild('src/index.ts', 'loupe-agent'),
  typesBuild('src/index.ts', 'loupe-agent'),
  scriptBuild('src/dropin.ts', 'loupe-agent.min.js'),
  moduleBuild('src/jquery.ts', 'jquery'),
  typesBuild('src/jquery.ts', 'jquery'),
  scriptBuild('src/jquery-dropin.ts', 'loupe-agent.jquery.min.js'),
  {
    input: 'server/index.ts',
    external: nodeExternal,
    plugins: [compileNode('./server/tsconfig.json')],
    output: [
      { file: 'dist/server.mjs', format: 'es', sourcemap: true },
      { file: 'dist/server.cjs', format: 'cjs', sourcemap: true, exports: 'named' },
    ],
  },
  {
    input: 'server/index.ts',
    plugins: [dts({ tsconfig: './server/tsconfig.json' })],
    output: [{ file: 'dist/server.d.ts' }, { file: 'dist/server.d.cts' }],
  },
  {
    input: 'demo/startDemo.ts',
    external: nodeExternal,
    plugins: [compileNode('./demo/tsconfig.json')],
    output: { file: 'dist/demo.mjs', format: 'es', sourcemap: true },
  },
];
