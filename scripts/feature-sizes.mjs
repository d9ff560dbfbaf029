// What each part of the drop-in script costs once the whole file is gzipped: builds the drop-in
// again, exactly as `npm run build` does, with parts left out of the agent (their call removed
// from src/agent.ts once compiled to JavaScript), and prints min+gzip bytes against the full
// build. Parts that share code with the rest cost less left out than their modules weigh.
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import builds from '../rollup.config.mjs';

const dropIn = builds.find((build) => build.input === 'src/dropin.ts');

/** Edits of the compiled src/agent.ts that leave one part out: [what it finds, what replaces it]. */
const parts = {
  'request headers and failed-request tracking (fetch, XHR, jQuery)': [
    ['installRequestPatches(context);', ''],
    ['registerJQueryPrefilter(context, jQuery', 'void (jQuery'],
  ],
  'error capture (error and unhandledrejection events)': [
    ['installErrorCapture(context, errorGate);', ''],
  ],
};

/** min+gzip bytes of the drop-in built with `edits` applied to src/agent.ts. */
async function size(edits) {
  const leaveOut = {
    name: 'leave-out',
    transform(code, id) {
      if (!id.endsWith('/src/agent.ts')) return;
      for (const [find, replace] of edits) {
        if (!code.includes(find)) throw new Error(`src/agent.ts no longer has ${find}`);
        code = code.replaceAll(find, replace);
      }
      return code;
    },
  };
  const bundle = await rollup({ ...dropIn, plugins: [leaveOut, ...dropIn.plugins], onwarn() {} });
  const { output } = await bundle.generate(dropIn.output);
  await bundle.close();
  return gzipSync(output[0].code, { level: 9 }).length;
}

const full = await size([]);
console.log(`${full} bytes min+gzip: the drop-in script as built`);
for (const [name, edits] of Object.entries(parts)) {
  console.log(`${full - (await size(edits))} bytes: ${name}`);
}
const rest = await size(Object.values(parts).flat());
console.log(`${rest} bytes min+gzip: what is left without all of them`);
