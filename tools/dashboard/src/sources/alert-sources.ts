import { DeleteRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { followSqsAlerts } from '@wildrydes/adapters/sqs';
import { parseUnicornAlert, RESOURCE_NAMES, UNICORN_ALERT_EVENT_PATTERN, type UnicornAlert } from '@wildrydes/domain';
import type { LiveSource, StopLiveSource } from '../live-sources.port';

/** The dashboard's own subscription rule on the bus. */
export const DASHBOARD_ALERTS_RULE = 'wildrydes-dashboard-unicorn-alert';
const TARGET_ARN = `arn:aws:lambda:us-east-1:000000000000:function:${DASHBOARD_ALERTS_RULE}`;

/** Delivers a rule's events to an in-process handler (the local EventBridge stand-in's `registerTargetHandler`). */
export type RegisterTargetHandler = (arn: string, handler: (event: unknown) => Promise<void>) => void;

/**
 * `unicorn-alert` events through an ordinary subscription on the local bus: a rule with the domain's
 * `UNICORN_ALERT_EVENT_PATTERN`, created with PutRule and PutTargets as on AWS, whose target is this process.
 * Stopping removes the target and the rule.
 */
export class EventBridgeAlertSource implements LiveSource<UnicornAlert> {
  constructor(
    private readonly eventBridge: EventBridgeClient,
    private readonly registerTargetHandler: RegisterTargetHandler,
    private readonly busName: string = RESOURCE_NAMES.eventBus,
  ) {}

  async start(deliver: (alerts: readonly UnicornAlert[]) => void, onError: (error: unknown) => void): Promise<StopLiveSource> {
    let stopped = false;
    this.registerTargetHandler(TARGET_ARN, async (event) => {
      if (stopped) return;
      try {
        deliver([parseUnicornAlert((event as { detail?: unknown }).detail)]);
      } catch (error) {
        onError(error);
      }
    });
    await this.eventBridge.send(new PutRuleCommand({ Name: DASHBOARD_ALERTS_RULE, EventBusName: this.busName, State: 'ENABLED', EventPattern: JSON.stringify(UNICORN_ALERT_EVENT_PATTERN) }));
    await this.eventBridge.send(new PutTargetsCommand({ Rule: DASHBOARD_ALERTS_RULE, EventBusName: this.busName, Targets: [{ Id: 'dashboard', Arn: TARGET_ARN }] }));
    return async () => {
      stopped = true;
      await this.eventBridge.send(new RemoveTargetsCommand({ Rule: DASHBOARD_ALERTS_RULE, EventBusName: this.busName, Ids: ['dashboard'] })).catch(() => undefined);
      await this.eventBridge.send(new DeleteRuleCommand({ Name: DASHBOARD_ALERTS_RULE, EventBusName: this.busName })).catch(() => undefined);
    };
  }
}

/**
 * `unicorn-alert` events on AWS: the SQS queue the stateful stack subscribes to the bus (outputs `AlertQueueUrl`).
 * An event that is no valid alert is reported, not delivered.
 */
export class SqsAlertSource implements LiveSource<UnicornAlert> {
  constructor(private readonly sqs: SQSClient, private readonly queueUrl: string) {}

  async start(deliver: (alerts: readonly UnicornAlert[]) => void, onError: (error: unknown) => void): Promise<StopLiveSource> {
    const abort = new AbortController();
    const done = (async () => {
      for await (const body of followSqsAlerts(this.sqs, this.queueUrl, JSON.stringify(UNICORN_ALERT_EVENT_PATTERN), abort.signal)) {
        try {
          deliver([parseUnicornAlert((JSON.parse(body) as { detail?: unknown }).detail)]);
        } catch (error) {
          onError(error);
        }
      }
    })().catch(onError);
    return async () => {
      abort.abort();
      await done;
    };
  }
}

/** No alert feed (e.g. `--local` from another process, where the bus's in-process targets are out of reach). */
export class NoAlertSource implements LiveSource<UnicornAlert> {
  async start(): Promise<StopLiveSource> {
    return async () => undefined;
  }
}
