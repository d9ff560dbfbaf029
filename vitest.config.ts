import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['test/dom/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'chromium',
          environment: 'node',
          include: ['test/chromium/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Chromium is heavy on a small machine: one browser suite at a time.
          fileParallelism: false,
          globalSetup: ['test/chromium/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'engines',
          environment: 'node',
          include: ['test/engines/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // The same tests on Chromium, Firefox and WebKit, one browser at a time, and only once
          // the other browser suites are done: three browsers at once overload a small machine.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          globalSetup: ['test/engines/global-setup.ts'],
        },
      },
      // The seeded delivery fault run in real Chromium: seeds 1 and 2 in `npm test`, any seeds
      // from `npm run fault-run`. Last, on its own: its timing is the point.
      {
        test: {
          name: 'faults',
          environment: 'node',
          include: ['test/faults/**/*.test.ts'],
          testTimeout: 110_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 2 },
          globalSetup: ['test/chromium/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'package',
          environment: 'node',
          include: ['test/package/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          globalSetup: ['test/package/global-setup.ts'],
        },
      },
    ],
  },
});
