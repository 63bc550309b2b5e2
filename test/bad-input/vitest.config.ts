import { mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// Every file here runs the whole stack (stand-ins, services, often a producer process): on 2 cores two at once
// starve each other past their deadlines, so the files run one after another.
export default mergeConfig(shared, { test: { fileParallelism: false } });
