import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

/** The domain is pure, so near-full coverage is cheap: the build fails below 95% of lines. */
export default mergeConfig(shared, defineConfig({
  test: {
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/**/index.ts', 'src/**/*.port.ts', 'src/testing/**'],
      reporter: ['text-summary'],
      thresholds: { lines: 95 },
    },
  },
}));
