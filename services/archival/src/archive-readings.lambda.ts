import { xrayTracer } from '@wildrydes/lambda-kit/xray';
import { readArchivalConfig } from './archival.config';
import type { createArchiveReadingsHandler } from './archive-readings.handler';
import { ARCHIVAL_TOKENS, createArchivalContainer } from './composition-root';

/** Lambda entry for the Kinesis mapping on `wildrydes`. Configuration is read and checked at cold start. */
const container = createArchivalContainer(readArchivalConfig(process.env), {}, { makeTracer: xrayTracer });
export const handler = container.get<ReturnType<typeof createArchiveReadingsHandler>>(ARCHIVAL_TOKENS.ArchiveReadingsHandler);
