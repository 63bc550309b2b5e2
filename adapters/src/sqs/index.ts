export { followSqsAlerts } from './sqs-alert-feed';
