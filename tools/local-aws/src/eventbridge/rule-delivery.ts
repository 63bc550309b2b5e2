import { matchesEventPattern } from '@wildrydes/adapters/eventbridge';
import type { EventBridgeEnvelope } from './event-envelope';
import type { BusState, RuleState, TargetState } from './event-bus-state';

export interface DeliveryInfo {
  readonly ruleArn: string;
  readonly targetId: string;
  readonly attempt: number;
}

/**
 * Receives what the target would: the envelope, or the target's `Input` / `InputPath` selection of it.
 * The type parameter is the caller's assertion of that shape.
 */
export type TargetHandler<T = EventBridgeEnvelope> = (event: T, delivery: DeliveryInfo) => unknown;

export interface DeadLetter {
  readonly event: unknown;
  readonly ruleArn: string;
  readonly targetId: string;
  readonly targetArn: string;
  readonly attempts: number;
  readonly error: string;
  readonly at: string;
}

export interface RuleDeliveryOptions {
  /** Handler calls per event and target before it is dead-lettered. */
  readonly deliveryAttempts: number;
  /** First retry delay; doubled for each further retry. */
  readonly retryBaseDelayMs: number;
  /** Stamps `at` on dead letters. */
  readonly now: () => Date;
  /** Keeps a dead letter beyond memory; a failure to keep it is logged, as no caller is waiting for it. */
  readonly keepDeadLetter?: (letter: DeadLetter) => Promise<void>;
}

/**
 * Matches events against a bus's rules and hands them to the in-process handlers registered for the targets' ARNs.
 * Targets without a handler are skipped: the stand-in cannot reach real Lambda functions or queues.
 */
export class RuleDelivery {
  private readonly handlers = new Map<string, TargetHandler<unknown>>();
  private readonly pendingRetries = new Map<NodeJS.Timeout, () => void>();
  private readonly letters: DeadLetter[] = [];
  private closed = false;

  constructor(private readonly options: RuleDeliveryOptions) {}

  /** Returns a function that unregisters the handler, unless another has replaced it since. */
  registerTargetHandler<T>(targetArn: string, handler: TargetHandler<T>): () => void {
    this.handlers.set(targetArn, handler as TargetHandler<unknown>);
    return () => {
      if (this.handlers.get(targetArn) === handler) this.handlers.delete(targetArn);
    };
  }

  route(bus: BusState, event: EventBridgeEnvelope): void {
    for (const rule of bus.rules.values()) {
      if (rule.state === 'DISABLED' || rule.compiled === undefined) continue;
      if (matchesEventPattern(rule.compiled, event)) this.deliverToTargets(rule, event);
    }
  }

  deliverToTargets(rule: RuleState, event: EventBridgeEnvelope): void {
    for (const target of rule.targets.values()) {
      if (this.handlers.has(target.Arn)) this.deliver(rule, target, selectInput(target, event));
    }
  }

  deadLetters(): readonly DeadLetter[] {
    return [...this.letters];
  }

  /** Dead-letters what is still waiting for a retry or for its first attempt, rather than dropping it unseen. */
  close(): void {
    this.closed = true;
    for (const [timer, abandon] of this.pendingRetries) {
      clearTimeout(timer);
      abandon();
    }
    this.pendingRetries.clear();
  }

  /** Never throws into the caller: failures are retried with backoff, then dead-lettered. */
  private deliver(rule: RuleState, target: TargetState, payload: unknown): void {
    let attempt = 0;
    const deadLetter = (error: unknown): void => {
      this.deadLetter({
        event: payload,
        ruleArn: rule.arn,
        targetId: target.Id,
        targetArn: target.Arn,
        attempts: attempt,
        error: error instanceof Error ? error.message : String(error),
        at: this.options.now().toISOString(),
      });
    };
    const tryOnce = async (): Promise<void> => {
      attempt += 1;
      const handler = this.handlers.get(target.Arn);
      try {
        if (handler === undefined) throw new Error(`no handler is registered for ${target.Arn} any more`);
        await handler(payload, { ruleArn: rule.arn, targetId: target.Id, attempt });
      } catch (error) {
        if (attempt >= this.options.deliveryAttempts || this.closed) {
          deadLetter(error);
          return;
        }
        const timer = setTimeout(() => {
          this.pendingRetries.delete(timer);
          void tryOnce();
        }, this.options.retryBaseDelayMs * 2 ** (attempt - 1));
        timer.unref();
        this.pendingRetries.set(timer, () => deadLetter(new Error(`the server closed before retry ${attempt + 1}: ${String(error)}`)));
      }
    };
    // Deliver after the PutEvents response, as EventBridge does: a slow handler must not slow the producer.
    setImmediate(() => {
      if (this.closed) deadLetter(new Error('the server closed before delivery'));
      else void tryOnce();
    });
  }

  private deadLetter(letter: DeadLetter): void {
    this.letters.push(letter);
    this.options.keepDeadLetter?.(letter).catch((writeError: unknown) => {
      console.error('local EventBridge: could not write a dead letter', writeError);
    });
  }
}

function selectInput(target: TargetState, event: EventBridgeEnvelope): unknown {
  if (target.Input !== undefined) return JSON.parse(target.Input) as unknown;
  if (target.InputPath === undefined) return event;
  let value: unknown = event;
  for (const key of target.InputPath.split('.').slice(1)) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value ?? null;
}
