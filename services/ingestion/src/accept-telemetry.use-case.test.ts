import { describe, expect, it } from 'vitest';
import { InMemoryQuarantine, InMemoryTelemetryStream } from '@wildrydes/test-kit';
import { archiveObjectKey } from '@wildrydes/domain';
import { AcceptTelemetry, STREAM_REFUSED } from './accept-telemetry.use-case';
import { ndjson, READINGS_START, readingLine } from '@wildrydes/test-kit';

const RECEIVED_AT = READINGS_START + 60_000;
const setup = (stream = new InMemoryTelemetryStream()) => {
  const quarantine = new InMemoryQuarantine();
  return { stream, quarantine, accept: new AcceptTelemetry(stream, quarantine) };
};
const decoder = new TextDecoder();

describe('AcceptTelemetry', () => {
  it('puts one reading as sent, with a line break', async () => {
    const { stream, accept } = setup();
    const result = await accept.execute({ requestId: 'r1', receivedAt: RECEIVED_AT, text: readingLine('Shadowfax', READINGS_START) });
    expect(result).toEqual({ accepted: 1, rejected: 0, refused: 0, rejectedByCode: {}, errors: [], errorsOmitted: 0 });
    expect(stream.records().map((r) => [r.partitionKey, decoder.decode(r.data)])).toEqual([['Shadowfax', readingLine('Shadowfax', READINGS_START) + '\n']]);
  });

  it('takes one reading spread over several lines (pretty-printed JSON) as one line', async () => {
    const { stream, accept } = setup();
    const pretty = JSON.stringify(JSON.parse(readingLine('Shadowfax', READINGS_START)), null, 2);
    expect(await accept.execute({ requestId: 'r2', receivedAt: RECEIVED_AT, text: pretty })).toMatchObject({ accepted: 1, rejected: 0 });
    expect(decoder.decode(stream.records()[0]?.data)).toBe(readingLine('Shadowfax', READINGS_START) + '\n');
  });

  it('accepts the good lines of a batch and quarantines the bad ones with their line numbers', async () => {
    const { stream, quarantine, accept } = setup();
    const text = ndjson([readingLine('Shadowfax', READINGS_START), '', '{"Name":"x"}', readingLine('Rocinante', READINGS_START + 600_000)], '\r\n');
    const result = await accept.execute({ requestId: 'req-3', receivedAt: RECEIVED_AT, text });
    expect(result.errors).toEqual([
      { line: 3, code: 'MISSING_FIELD', reason: 'StatusTime is missing' },
      { line: 4, code: 'TIMESTAMP_IN_FUTURE', reason: expect.stringMatching(/ahead of now/) as unknown as string },
    ]);
    expect([result.accepted, result.rejected]).toEqual([1, 2]);
    expect(stream.records()).toHaveLength(1);
    const key = archiveObjectKey('rejected', RECEIVED_AT, 'http:req-3');
    expect(quarantine.objects().get(key)?.map((l) => [l.line, l.code, l.sourcePosition])).toEqual([[3, 'MISSING_FIELD', 'http:req-3'], [4, 'TIMESTAMP_IN_FUTURE', 'http:req-3']]);
  });

  it('reports lines the stream refused as rejected, to send again, without quarantining them', async () => {
    const stream = new InMemoryTelemetryStream({ failureMode: (r) => (r.partitionKey === 'Rocinante' ? { errorCode: 'InternalFailure' } : undefined), maxRetries: 1 });
    const { quarantine, accept } = setup(stream);
    const result = await accept.execute({ requestId: 'r4', receivedAt: RECEIVED_AT, text: ndjson([readingLine('Shadowfax', READINGS_START), readingLine('Rocinante', READINGS_START)]) });
    expect(result).toMatchObject({ accepted: 1, rejected: 1, refused: 1 });
    expect(result.errors).toMatchObject([{ line: 2, code: STREAM_REFUSED }]);
    expect(quarantine.rejectionCount()).toBe(0);
  });

  it('takes a body with a byte-order mark as the Kinesis door does (one rule, in the domain)', async () => {
    const { stream, accept } = setup();
    const result = await accept.execute({ requestId: 'bom', receivedAt: RECEIVED_AT, text: '\ufeff' + readingLine('Shadowfax', READINGS_START) });
    expect(result).toMatchObject({ accepted: 1, rejected: 0 });
    expect(decoder.decode(stream.records()[0]?.data)).toBe(readingLine('Shadowfax', READINGS_START) + '\n');
  });

  it('lists the first 100 errors by line even when refused lines are known only after later bad lines', async () => {
    const stream = new InMemoryTelemetryStream({ failureMode: (r) => (r.partitionKey === 'Rocinante' ? { errorCode: 'InternalFailure' } : undefined), maxRetries: 0 });
    const { accept } = setup(stream);
    const text = ndjson([readingLine('Rocinante', READINGS_START), ...Array.from({ length: 150 }, () => 'nope')]);
    const result = await accept.execute({ requestId: 'r5', receivedAt: RECEIVED_AT, text });
    expect(result.errors.map((e) => e.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(result).toMatchObject({ rejected: 151, refused: 1, errorsOmitted: 51, rejectedByCode: { INVALID_JSON: 150, STREAM_REFUSED: 1 } });
  });
});
