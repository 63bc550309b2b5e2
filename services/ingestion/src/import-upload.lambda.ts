import { xrayTracer } from '@wildrydes/lambda-kit/xray';
import { INGESTION_TOKENS, createIngestionContainer } from './composition-root';
import type { createImportUploadHandler } from './import-upload.handler';
import { readIngestionConfig } from './ingestion.config';

/** Lambda entry for S3 `ObjectCreated` notifications on `uploads/` in the data bucket. Configuration is checked at cold start. */
const container = createIngestionContainer(readIngestionConfig(process.env), {}, { makeTracer: xrayTracer });
export const handler = container.get<ReturnType<typeof createImportUploadHandler>>(INGESTION_TOKENS.ImportUploadHandler);
