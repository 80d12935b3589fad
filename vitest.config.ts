/**
 * Test projects (tests mirror the source folders):
 *  - unit:     pure code under Node (engine codecs and machines, crypto, stores, parsers)
 *  - sim:      whole engine sessions on the virtual clock (test/sim)
 *  - renderer: React components and zustand slices in jsdom
 *  - system:   the service on a real OS: TUN, routes, DNS, keychain (needs root; skips and says why otherwise)
 *  - interop:  pptpctl against the real pptpd in a user-mode-linux VM (needs root + the VM image)
 *  - gui:      the built renderer in headless Chromium through the real main-process handlers
 * `npm test` runs them all; each closes with the plain summary line from test/support/summary-reporter.ts.
 */
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'sim', include: ['test/sim/**/*.test.ts'], environment: 'node' } },
      {
        plugins: [react()],
        test: { name: 'renderer', include: ['test/renderer/**/*.test.{ts,tsx}'], environment: 'jsdom' },
      },
      {
        test: {
          name: 'system',
          include: ['test/system/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'interop',
          include: ['test/interop/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'gui',
          include: ['test/gui/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
