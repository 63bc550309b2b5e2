import { xrayTracer } from '@wildrydes/lambda-kit/xray';
import type { createAggregateMinutesHandler } from './aggregate-minutes.handler';
import { readAggregationConfig } from './aggregation.config';
import { AGGREGATION_TOKENS, createAggregationContainer } from './composition-root';

/** Lambda entry for the Kinesis mapping on `wildrydes`. Configuration is read and checked at cold start. */
const container = createAggregationContainer(readAggregationConfig(process.env), {}, { makeTracer: xrayTracer });
export const handler = container.get<ReturnType<typeof createAggregateMinutesHandler>>(AGGREGATION_TOKENS.AggregateMinutesHandler);
