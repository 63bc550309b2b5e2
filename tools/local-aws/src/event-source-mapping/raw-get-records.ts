import http from 'node:http';
import type { _Record } from '@aws-sdk/client-kinesis';

/** A record as read without the SDK: its data stays the base64 text it came in, decoded only if someone asks. */
export type StreamRecord = _Record & { readonly base64Data?: string };

export interface GetRecordsAnswer {
  readonly Records: StreamRecord[];
  readonly NextShardIterator?: string;
  readonly MillisBehindLatest?: number;
}

/** One GetRecords call: the shared reader's seam (the SDK by default, `rawGetRecords` on the local stack). */
export type GetRecordsCall = (shardIterator: string, limit: number, signal: AbortSignal) => Promise<GetRecordsAnswer>;

/** An error answer of the Kinesis API, named by its type as the SDK names its exceptions. */
export class KinesisApiError extends Error {
  constructor(readonly type: string, message: string, readonly statusCode: number) {
    super(message);
    this.name = type;
  }
}

/** How much of an answer is read at most: a full GetRecords is at most 10 MB of data, base64 adds a third. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** Longest wait for an answer (kinesalite answers a full GetRecords in well under a second). */
const REQUEST_TIMEOUT_MS = 30_000;

interface WireRecord {
  SequenceNumber?: string;
  PartitionKey?: string;
  Data?: string;
  ApproximateArrivalTimestamp?: number;
}

function streamRecord(wire: WireRecord): StreamRecord {
  const base64Data = wire.Data ?? '';
  let decoded: Uint8Array | undefined;
  return {
    SequenceNumber: wire.SequenceNumber,
    PartitionKey: wire.PartitionKey,
    ApproximateArrivalTimestamp: wire.ApproximateArrivalTimestamp === undefined ? undefined : new Date(wire.ApproximateArrivalTimestamp * 1000),
    base64Data,
    get Data(): Uint8Array {
      decoded ??= Buffer.from(base64Data, 'base64');
      return decoded;
    },
  };
}

/**
 * GetRecords against a local Kinesis endpoint (kinesalite) as plain JSON over HTTP/1.1, without the SDK. On the
 * local stack the SDK's deserializer cost about 10 µs a record — more than any handler — and decoded every record's
 * base64 data only for the event-source mapping to encode it again into the Lambda event. Here the data stays text.
 * Only for the local stand-in: no request signing (kinesalite checks the header's shape, not the signature).
 */
export function rawGetRecords(endpoint: string, agent: http.Agent = new http.Agent({ keepAlive: true })): GetRecordsCall {
  const url = new URL(endpoint);
  return (shardIterator, limit, signal) => new Promise<GetRecordsAnswer>((settleAnswer, settleError) => {
    // Settled once: a connection cut mid-answer ends in 'close' without 'end' (and sometimes without 'error').
    let settled = false;
    const resolve = (answer: GetRecordsAnswer): void => { if (!settled) { settled = true; settleAnswer(answer); } };
    const reject = (error: unknown): void => { if (!settled) { settled = true; settleError(error); } };
    const body = JSON.stringify({ ShardIterator: shardIterator, Limit: limit });
    const request = http.request({
      host: url.hostname,
      port: url.port,
      path: '/',
      method: 'POST',
      agent,
      signal,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(body),
        'x-amz-target': 'Kinesis_20131202.GetRecords',
        'x-amz-date': new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''),
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=unsigned',
      },
    }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          response.destroy(new Error(`GetRecords answer larger than ${MAX_ANSWER_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('close', () => {
        if (!response.complete) reject(new Error('GetRecords answer cut short (connection closed)'));
      });
      response.on('end', () => {
        let parsed: { Records?: WireRecord[]; NextShardIterator?: string; MillisBehindLatest?: number; __type?: string; message?: string };
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof parsed;
        } catch (error) {
          reject(new Error(`GetRecords answered ${response.statusCode} with a body that is not JSON`, { cause: error }));
          return;
        }
        const status = response.statusCode ?? 0;
        if (status >= 300 || parsed.__type !== undefined) {
          const type = (parsed.__type ?? 'UnknownError').split('#').pop() ?? 'UnknownError';
          reject(new KinesisApiError(type, parsed.message ?? `GetRecords failed with HTTP ${status}`, status));
          return;
        }
        resolve({
          Records: (parsed.Records ?? []).map(streamRecord),
          ...(parsed.NextShardIterator === undefined ? {} : { NextShardIterator: parsed.NextShardIterator }),
          ...(parsed.MillisBehindLatest === undefined ? {} : { MillisBehindLatest: parsed.MillisBehindLatest }),
        });
      });
    });
    request.on('error', reject);
    // A stand-in that never answers must not stall the shard: the reader retries with a fresh request.
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`GetRecords got no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    request.end(body);
  });
}
