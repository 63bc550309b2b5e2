import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { followSqsAlerts } from './sqs-alert-feed';

const sqs = mockClient(SQSClient);
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/111122223333/wildrydes-unicorn-alerts';
const event = (severity: string) => JSON.stringify({ source: 'wildrydes.health', 'detail-type': 'unicorn-alert', detail: { severity, name: 'Bucephalus' } });

describe('followSqsAlerts', () => {
  beforeEach(() => sqs.reset());

  it('long-polls, yields matching events, and deletes each received batch', async () => {
    // Prepare
    sqs.on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ Body: event('critical'), ReceiptHandle: 'a' }, { Body: event('info'), ReceiptHandle: 'b' }, { Body: 'not json', ReceiptHandle: 'c' }] })
      .resolves({ Messages: [] });
    sqs.on(DeleteMessageBatchCommand).resolves({});
    const controller = new AbortController();

    // Act
    const seen: string[] = [];
    for await (const body of followSqsAlerts(new SQSClient({}), QUEUE, '{"detail":{"severity":["critical"]}}', controller.signal)) {
      seen.push(body);
      controller.abort();
    }

    // Assess
    expect(seen).toEqual([event('critical')]);
    expect(sqs).toHaveReceivedCommandWith(ReceiveMessageCommand, { QueueUrl: QUEUE, MaxNumberOfMessages: 10, WaitTimeSeconds: 20 });
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageBatchCommand, {
      QueueUrl: QUEUE, Entries: [{ Id: '0', ReceiptHandle: 'a' }, { Id: '1', ReceiptHandle: 'b' }, { Id: '2', ReceiptHandle: 'c' }],
    });
  });

  it('stops quietly when aborted during a poll, and reports other errors', async () => {
    const controller = new AbortController();
    sqs.on(ReceiveMessageCommand).callsFake(async () => { controller.abort(); throw new Error('aborted'); });
    const consumed = [];
    for await (const body of followSqsAlerts(new SQSClient({}), QUEUE, '{"source":["wildrydes.health"]}', controller.signal)) consumed.push(body);
    expect(consumed).toEqual([]);

    sqs.reset();
    sqs.on(ReceiveMessageCommand).rejects(new Error('AWS.SimpleQueueService.NonExistentQueue'));
    await expect(followSqsAlerts(new SQSClient({}), QUEUE, '{"source":["wildrydes.health"]}', new AbortController().signal).next()).rejects.toThrow('NonExistentQueue');
  });
});
