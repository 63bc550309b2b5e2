export { BillingMeter, type MeterableClient } from './billing-meter';
export {
  emptyKinesisStreamUsage,
  emptyServiceUsage,
  formatMeterTotals,
  meterTotalsBetween,
  scaleServiceUsage,
  type DynamoDbTableUsage,
  type EventBridgeBusUsage,
  type KinesisStreamUsage,
  type LambdaFunctionUsage,
  type MeterTotals,
  type ResourceKind,
  type S3BucketUsage,
  type ServiceUsage,
  type SqsQueueUsage,
} from './meter-totals';
export {
  costPerMillionReadings,
  workshopCostPerMillionReadings,
  type CostBreakdown,
  type CostLine,
  type CostSum,
  type MeasuredRun,
  type WorkshopScenario,
} from './cost-model';
export { GB, PRICE_KEYS, pricesFrom, US_EAST_1_PRICES, type Prices } from './prices';
export { CostModelInputError, MeterInputError, PriceFileInvalidError } from './meter.errors';
