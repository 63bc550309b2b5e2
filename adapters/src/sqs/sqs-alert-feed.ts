import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { compileEventPattern, matchesEventPattern } from '../eventbridge/event-pattern-matcher';

/**
 * Follows the SQS queue the stateful stack subscribes to `unicorn-alert` (on AWS, where the local bus's live feed
 * does not exist): long-polls, yields each event that matches `pattern` as its JSON text, and deletes the batch once
 * its events were handed over (at-least-once, as SQS is; alert ids let readers drop repeats). Events that do not
 * match are deleted too: the queue is this reader's own subscription.
 */
export async function* followSqsAlerts(sqs: SQSClient, queueUrl: string, pattern: string, signal: AbortSignal): AsyncGenerator<string> {
  const compiled = compileEventPattern(pattern);
  while (!signal.aborted) {
    let received;
    try {
      received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20 }), { abortSignal: signal });
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    const messages = received.Messages ?? [];
    for (const message of messages) {
      const body = message.Body ?? '';
      let event: unknown;
      try {
        event = JSON.parse(body);
      } catch {
        continue;
      }
      if (typeof event === 'object' && event !== null && matchesEventPattern(compiled, event)) yield body;
    }
    if (messages.length > 0) {
      await sqs.send(new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }));
    }
  }
}
