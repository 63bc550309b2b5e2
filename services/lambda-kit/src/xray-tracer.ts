import { Tracer } from '@aws-lambda-powertools/tracer';
import type { TracerFactory } from './lambda-telemetry';

/**
 * Powertools' X-Ray tracer, for the Lambda entry points only (`*.lambda.ts`). It lives behind its own entry
 * (`@wildrydes/lambda-kit/xray`) because importing it loads the X-Ray SDK, whose context tracking installs an async
 * hook with destroy tracking on every promise of the process: profiled under `npm start`, that hook cost about a
 * tenth of the local stack's CPU for nothing, since nothing is traced locally.
 */
export const xrayTracer: TracerFactory = (serviceName) => new Tracer({ serviceName });
