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
