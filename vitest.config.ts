import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'sdk/test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts', 'sdk/test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
