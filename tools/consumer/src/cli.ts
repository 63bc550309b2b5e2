/**
 * `consumer`: the Wild Rydes workshop consumer, rebuilt. Reads every shard of a stream (from LATEST by default,
 * following reshards) and prints each record as JSON indented by 4 spaces, or follows unicorn-alert events.
 *
 *   npm run consumer -- --local [-stream wildrydes-summary] [--from trim-horizon] [--compact] [--max N] [--timeout 30s]
 *   npm run consumer -- --local --alerts [--pattern '{"detail":{"severity":["critical"]}}']
 *
 * Exit codes: 0 done (or Ctrl-C, --max, --timeout), 1 fatal error (one line on stderr), 2 bad flags.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { environmentEndpoint } from '@wildrydes/adapters/clients';
import { followSqsAlerts } from '@wildrydes/adapters/sqs';
import { KinesisStreamReader } from '@wildrydes/adapters/kinesis';
import { resolveTarget, type Target, describeFatalError, onStopSignals, runMain } from '@wildrydes/cli-support';
import { parseConsumerCommandLine, UsageError, type ConsumerOptions } from './consumer-options';
import { layoutJson, splitRecord } from './json-text';
import { followLocalAlertFeed } from './local-alert-feed';

const TEXT = new TextDecoder();

async function main(argv: readonly string[]): Promise<number> {
  let options: ConsumerOptions;
  try {
    const parsed = parseConsumerCommandLine(argv, { writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
    if (parsed.kind === 'exit') return parsed.code;
    options = parsed.options;
    const localBus = options.local || options.endpointsFile !== undefined || options.endpoint !== undefined || environmentEndpoint('eventbridge') !== undefined;
    if (options.alertPattern !== undefined && !localBus && options.queueUrl === undefined) {
      throw new UsageError(
        '--alerts on AWS reads the SQS queue the stack subscribes to unicorn-alert: give --queue-url (or WILDRYDES_ALERT_QUEUE_URL), ' +
          'or use --local for the local bus.',
      );
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`consumer: ${error.message}\n(run consumer --help for usage)\n`);
    return 2;
  }

  const alerts = options.alertPattern !== undefined;
  let target: Target | undefined;
  const fatal = (error: unknown): number => {
    const context = alerts
      ? { service: 'EventBridge', endpoint: target?.endpoints?.eventbridge ?? options.endpoint ?? 'the local bus', resource: `event bus "${options.bus}"` }
      : { service: 'Kinesis', endpoint: target?.endpoints?.kinesis ?? options.endpoint ?? `https://kinesis.${options.region}.amazonaws.com`, resource: `stream "${options.stream}"` };
    process.stderr.write(`consumer: ${describeFatalError(error, context)}\n`);
    return 1;
  };

  const controller = new AbortController();
  const stopSignals = onStopSignals(controller);
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(), options.timeoutMs);
  const indent = options.compact ? '' : '    ';
  let count = 0;
  try {
    target = await resolveTarget(options);
    if (alerts && target.endpoints?.eventbridge === undefined && options.queueUrl !== undefined) {
      const sqs = new SQSClient({ region: options.region });
      try {
        for await (const event of followSqsAlerts(sqs, options.queueUrl, options.alertPattern as string, controller.signal)) {
          await write(`${layoutJson(event, indent)}\n`);
          if (++count === options.max) break;
        }
      } finally {
        sqs.destroy();
      }
    } else if (alerts) {
      const eventBridge = target.endpoints?.eventbridge;
      if (eventBridge === undefined) throw new Error('the local stack runs no EventBridge stand-in: restart it with npm run local');
      for await (const event of followLocalAlertFeed(eventBridge, options.bus, options.alertPattern as string, controller.signal)) {
        await write(`${layoutJson(event, indent)}\n`);
        if (++count === options.max) break;
      }
    } else {
      const reader = new KinesisStreamReader(target.clients.kinesis, options.stream);
      for await (const record of reader.read({ from: options.from, signal: controller.signal })) {
        const parts = splitRecord(TEXT.decode(record.data));
        if (parts.length === 0) process.stderr.write(`consumer: record ${record.sequenceNumber} on ${record.shardId} is empty\n`);
        for (const part of parts) {
          if ('json' in part) {
            await write(`${layoutJson(part.json, indent)}\n`);
          } else {
            process.stderr.write(`consumer: record ${record.sequenceNumber} on ${record.shardId}, line ${part.line}, is not JSON (${part.problem}); printed as is\n`);
            await write(`${part.raw}\n`);
          }
        }
        if (++count === options.max) break;
      }
    }
    return 0;
  } catch (error) {
    return fatal(error);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    controller.abort();
    stopSignals();
    target?.clients.destroy();
  }
}

async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once('drain', resolve));
}


runMain('consumer', main);
