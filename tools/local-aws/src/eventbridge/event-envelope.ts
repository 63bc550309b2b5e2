import { randomUUID } from 'node:crypto';

/** The envelope EventBridge wraps around every event it delivers. */
export interface EventBridgeEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

export interface EnvelopeFields {
  readonly detailType: string;
  readonly source: string;
  readonly account: string;
  readonly region: string;
  readonly timeMs: number;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

/** Put events and scheduled events share one builder, so both keep the key order EventBridge sends. */
export function createEnvelope(fields: EnvelopeFields): EventBridgeEnvelope {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': fields.detailType,
    source: fields.source,
    account: fields.account,
    time: formatTime(fields.timeMs),
    region: fields.region,
    resources: fields.resources,
    detail: fields.detail,
  };
}

/** EventBridge writes times to the second: 2017-12-22T18:43:48Z. */
function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
