import { xrayTracer } from '@wildrydes/lambda-kit/xray';
import { HEALTH_TOKENS, createHealthContainer } from './composition-root';
import { readHealthConfig } from './health.config';
import type { createTrackHealthHandler } from './track-health.handler';

/** Lambda entry for the Kinesis mapping on `wildrydes`. Configuration is read and checked at cold start. */
const container = createHealthContainer(readHealthConfig(process.env), {}, { makeTracer: xrayTracer });
export const handler = container.get<ReturnType<typeof createTrackHealthHandler>>(HEALTH_TOKENS.TrackHealthHandler);
