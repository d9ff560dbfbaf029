import { ensureBuilt } from '../helpers/build';
import { ENGINE_PACKAGES, enginesToRun, installHint } from '../helpers/engines';

// The cross-engine tests load the built files from dist/. Outside CI they run on the engines
// installed here, saying which are missing; in CI every engine must be there.
export default function setup() {
  const { engines, missing } = enginesToRun();
  if (missing.length && engines.length == 3)
    throw new Error(
      `Missing browser engines in CI: ${missing.join(', ')}. Install them with: apt-get install ` +
        `-y --no-install-recommends ${missing.map((name) => ENGINE_PACKAGES[name]).join(' ')}`,
    );
  for (const name of missing) console.log(installHint(name));
  console.log(`Cross-engine tests run on: ${engines.join(', ')}`);
  ensureBuilt();
}
