import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['./vitest.global-setup.ts'],
    // Real servers on port 0 and real child processes: give slow CI machines room.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
