export { BillingMeter, type MeterableClient } from './billing-meter';
export { formatMeterTotals, type DynamoDbTableUsage, type EventBridgeBusUsage, type KinesisStreamUsage, type LambdaFunctionUsage, type MeterTotals, type ResourceKind, type S3BucketUsage, type ServiceUsage, type SqsQueueUsage } from './meter-totals';
export { MeterInputError, CostModelInputError, PriceFileInvalidError } from './meter.errors';
