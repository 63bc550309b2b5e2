import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { stagedName } from '@wildrydes/domain';
import type { ServiceFunction } from './service-function';

/** A mapping is "delayed" when its oldest record waited longer than this (Lambda's IteratorAge, in ms). */
export const ITERATOR_AGE_ALARM_MS = 60_000;

export interface AlarmFactoryProps {
  readonly stage: string;
  /** Leads every alarm name, e.g. `wildrydes-health`; the stage is appended as to every name. */
  readonly prefix: string;
  /** The stage's alarm topic: every alarm notifies it when it fires and when it clears. */
  readonly topic: sns.ITopic;
}

/**
 * The alarms on what loses or delays data, one way for every stack: a named alarm per condition, one-minute periods,
 * missing data is "not breaching" (an idle stream or an unused queue is healthy), and the stage's topic is told
 * of ALARM and of OK.
 */
export class AlarmFactory extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, private readonly props: AlarmFactoryProps) {
    super(scope, id);
  }

  /** A failure destination or dead-letter queue is not empty: something was given up and waits for a human. */
  queueNotEmpty(queue: sqs.IQueue, name: string, holds: string): cloudwatch.Alarm {
    return this.alarm(`${name}-not-empty`, `${queue.node.path}: holds ${holds}. Inspect and redrive.`,
      queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1) }), { threshold: 1 });
  }

  /** The stream mapping of a function is more than a minute behind (three minutes in a row). */
  iteratorAge(fn: ServiceFunction): cloudwatch.Alarm {
    return this.alarm(`${fn.name}-iterator-age`, `${fn.name}: its Kinesis mapping is more than ${ITERATOR_AGE_ALARM_MS / 1000} s behind the stream.`,
      fn.function.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
      { threshold: ITERATOR_AGE_ALARM_MS, comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD, evaluationPeriods: 3 });
  }

  /** Any invocation error, and any throttle, of a function. */
  functionErrorsAndThrottles(fn: ServiceFunction): cloudwatch.Alarm[] {
    return [
      this.alarm(`${fn.name}-errors`, `${fn.name}: invocations failed (the mapping or Lambda retries; repeated failures end in the failure queue).`,
        fn.function.metricErrors({ statistic: 'Sum', period: Duration.minutes(1) }), { threshold: 1 }),
      this.alarm(`${fn.name}-throttles`, `${fn.name}: invocations were throttled (concurrency limit); records wait on the stream.`,
        fn.function.metricThrottles({ statistic: 'Sum', period: Duration.minutes(1) }), { threshold: 1 }),
    ];
  }

  /** EventBridge could not deliver events of a rule to its target (after its retries). */
  ruleFailedInvocations(rule: events.IRule, name: string, what: string): cloudwatch.Alarm {
    return this.alarm(`${name}-failed-invocations`, `${rule.node.path}: ${what}.`,
      new cloudwatch.Metric({ namespace: 'AWS/Events', metricName: 'FailedInvocations', dimensionsMap: { RuleName: rule.ruleName }, statistic: 'Sum', period: Duration.minutes(1) }),
      { threshold: 1 });
  }

  /** The HTTP API answered with a 5xx: readings a sensor sent were not taken. */
  httpServerErrors(api: apigwv2.HttpApi, name: string): cloudwatch.Alarm {
    return this.alarm(`${name}-5xx`, `${api.node.path}: answered 5xx; the senders' readings were not accepted.`,
      api.metricServerError({ statistic: 'Sum', period: Duration.minutes(1) }), { threshold: 1 });
  }

  private alarm(
    name: string,
    description: string,
    metric: cloudwatch.IMetric,
    options: { threshold: number; comparison?: cloudwatch.ComparisonOperator; evaluationPeriods?: number },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, name, {
      alarmName: stagedName(`${this.props.prefix}-${name}`, this.props.stage),
      alarmDescription: description,
      metric,
      threshold: options.threshold,
      comparisonOperator: options.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = new cloudwatchActions.SnsAction(this.props.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }
}

/** What every service stack takes besides its resources: its stage, and the stage's alarm topic. */
export interface OperatedStackProps {
  /** Default: the default stage (the workshop's names). */
  readonly stage?: string;
  /** The stateful stack's `alarmTopic`. */
  readonly alarmTopic: sns.ITopic;
}
