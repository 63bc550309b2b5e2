import { xrayTracer } from '@wildrydes/lambda-kit/xray';
import { INGESTION_TOKENS, createIngestionContainer } from './composition-root';
import { readIngestionConfig } from './ingestion.config';
import type { createPostTelemetryHandler } from './post-telemetry.handler';

/** Lambda entry for `POST /telemetry` (API Gateway HTTP API, payload format 2.0). */
const container = createIngestionContainer(readIngestionConfig(process.env), {}, { makeTracer: xrayTracer });
export const handler = container.get<ReturnType<typeof createPostTelemetryHandler>>(INGESTION_TOKENS.PostTelemetryHandler);
