import { xrayTracer } from '@wildrydes/lambda-kit/xray';
import { readArchivalConfig } from './archival.config';
import type { createArchiveAlertHandler } from './archive-alert.handler';
import { ARCHIVAL_TOKENS, createArchivalContainer } from './composition-root';

/** Lambda entry for archival's rule on the `wildrydes` bus (`alert-subscription.ts`). */
const container = createArchivalContainer(readArchivalConfig(process.env), {}, { makeTracer: xrayTracer });
export const handler = container.get<ReturnType<typeof createArchiveAlertHandler>>(ARCHIVAL_TOKENS.ArchiveAlertHandler);
