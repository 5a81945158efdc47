import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'engine',
          environment: 'node',
          include: ['engine/**/*.test.ts', 'tests/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          // The lab's UI logic (line editor, redis-cli session, store, engine client): plain Node,
          // terminals through @xterm/headless.
          name: 'app',
          environment: 'node',
          include: ['app/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'conformance',
          environment: 'node',
          include: ['tests/conformance/**/*.test.ts'],
          globalSetup: ['tests/conformance/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // Our TCP server against real redis-server: malformed input, fuzzing, many clients.
          name: 'server',
          environment: 'node',
          include: ['tests/server/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
