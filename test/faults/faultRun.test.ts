import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { runFaults } from './faultRun';

// A seeded run of faults against real Chromium: the seed fixes the actions and the server's
// answers, not their timing. `npm test` runs seeds 1 and 2; `npm run fault-run -- --seeds=1-10`
// runs any seeds (it sets LOUPE_FAULT_SEEDS).
const seeds = (process.env.LOUPE_FAULT_SEEDS ?? '1,2').split(',').flatMap((part) => {
  const [from, to = from] = part.split('-').map(Number);
  return Array.from(
    { length: (to as number) - (from as number) + 1 },
    (_, i) => (from as number) + i,
  );
});

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

for (const seed of seeds)
  it(`loses and repeats no message beyond the named cases under faults (seed ${seed})`, async () => {
    const result = await runFaults(browser, seed);
    console.log(
      `fault run seed ${seed}: ${result.logged} logged, ${result.lost.length} lost ` +
        `(${result.lostAfterFailure.length} in a request refused or reset after hand-over), ` +
        `${result.duplicated.length} ` +
        `duplicated (${result.duplicatedAfterSlow.length} first accepted in a slow answer)`,
    );
    expect(result.lost.filter((caption) => !result.lostAfterFailure.includes(caption))).toEqual([]);
    expect(
      result.duplicated.filter((caption) => !result.duplicatedAfterSlow.includes(caption)),
    ).toEqual([]);
  }, 110_000);
