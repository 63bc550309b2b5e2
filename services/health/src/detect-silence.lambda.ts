import { xrayTracer } from '@wildrydes/lambda-kit/xray';
import { HEALTH_TOKENS, createHealthContainer } from './composition-root';
import type { createDetectSilenceHandler } from './detect-silence.handler';
import { readHealthConfig } from './health.config';

/** Lambda entry for the `rate(1 minute)` schedule. */
const container = createHealthContainer(readHealthConfig(process.env), {}, { makeTracer: xrayTracer });
export const handler = container.get<ReturnType<typeof createDetectSilenceHandler>>(HEALTH_TOKENS.DetectSilenceHandler);
