import { mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

// CDK synthesis takes seconds per stack on the shared 2-core machine: allow 120 s.
export default mergeConfig(shared, { test: { testTimeout: 120_000, hookTimeout: 120_000, setupFiles: ['./vitest.setup.ts'] } });
