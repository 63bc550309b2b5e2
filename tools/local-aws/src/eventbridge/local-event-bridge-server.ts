/**
 * A local EventBridge: an HTTP server speaking the AWS JSON 1.1 protocol, so the real `@aws-sdk/client-eventbridge`
 * (and therefore the project's EventBridge adapters) runs against it unchanged. No npm emulator does this usably,
 * so the project owns this one (docs/adr/0003-local-stand-ins.md).
 *
 * Matched events reach (a) in-process handlers registered per target ARN, (b) live NDJSON feeds on
 * `GET /_local/feed`, and (c) with a `dataDir`, an append-only log per bus. Rules, targets and buses survive a
 * restart when a `dataDir` is given. This file only wires the modules that do each of those and decides the order
 * they stop in.
 */
import type { EventBridgeEnvelope } from './event-envelope';
import { EventBusState } from './event-bus-state';
import { EventBridgeApi } from './eventbridge-api';
import { EventBridgeHttpServer } from './eventbridge-http-server';
import { LiveEventFeeds } from './live-event-feeds';
import { RuleDelivery, type DeadLetter, type TargetHandler } from './rule-delivery';
import { RuleSchedules } from './rule-schedules';

export interface LocalEventBridgeOptions {
  readonly host?: string;
  readonly port?: number;
  /** Persist state and append accepted events under `<dataDir>/eventbridge/`. In memory when absent. */
  readonly dataDir?: string;
  readonly region?: string;
  readonly accountId?: string;
  /** The clock stamped on events that carry no `Time`. */
  readonly now?: () => Date;
  /** Multiplies every schedule interval: 0.001 makes `rate(1 minute)` fire every 60 ms. */
  readonly scheduleScale?: number;
  /** Handler calls per event and target before it is dead-lettered. */
  readonly deliveryAttempts?: number;
  /** First retry delay; doubled for each further retry. */
  readonly retryBaseDelayMs?: number;
  /** Web origins allowed to call it from a browser; others, and foreign Host headers, get 403. Default: none. */
  readonly allowedOrigins?: readonly string[];
}

export interface LocalEventBridge {
  readonly url: string;
  readonly port: number;
  /** Routes events for targets with this ARN to `handler`. Returns a function that unregisters it. */
  registerTargetHandler<T = EventBridgeEnvelope>(targetArn: string, handler: TargetHandler<T>): () => void;
  /** Deliveries that failed every attempt (also appended to `dead-letters.ndjson` with a `dataDir`). */
  deadLetters(): readonly DeadLetter[];
  /** Ends live feeds, stops schedules and retries, and closes the server. */
  close(): Promise<void>;
}

export async function startLocalEventBridge(options: LocalEventBridgeOptions = {}): Promise<LocalEventBridge> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const now = options.now ?? (() => new Date());

  const state = new EventBusState({ region, accountId, now, ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }) });
  const delivery = new RuleDelivery({
    deliveryAttempts: options.deliveryAttempts ?? 3,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 200,
    now,
    keepDeadLetter: (letter) => state.appendDeadLetter(letter),
  });
  const feeds = new LiveEventFeeds();
  const schedules = new RuleSchedules({
    region,
    accountId,
    now,
    scale: options.scheduleScale ?? 1,
    deliver: (rule, event) => delivery.deliverToTargets(rule, event),
  });
  const api = new EventBridgeApi({
    state,
    schedules,
    publish: (bus, event) => {
      delivery.route(bus, event);
      feeds.publish(bus.name, event);
    },
    region,
    accountId,
    now,
  });
  const server = new EventBridgeHttpServer(api, feeds, { allowedOrigins: options.allowedOrigins ?? [] });

  await state.load();
  for (const bus of state.allBuses()) {
    for (const rule of bus.rules.values()) schedules.start(rule);
  }
  const { url, port } = await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');

  let closed = false;
  return {
    url,
    port,
    registerTargetHandler: (targetArn, handler) => delivery.registerTargetHandler(targetArn, handler),
    deadLetters: () => delivery.deadLetters(),
    async close() {
      if (closed) return;
      closed = true;
      schedules.stopAll();
      // Before the last writes are awaited, so the dead letters of abandoned retries reach the data dir too.
      delivery.close();
      feeds.endAll();
      await server.close();
      await state.settled();
    },
  };
}
