/**
 * A local EventBridge: an HTTP server speaking the AWS JSON 1.1 protocol, so the real `@aws-sdk/client-eventbridge`
 * (and therefore the project's EventBridge adapters) runs against it unchanged. No npm emulator does this usably
 * (see /work/shared/reference/local-stand-ins.md, section 4), so the project owns this one.
 *
 * Matched events reach (a) in-process handlers registered per target ARN, (b) live NDJSON feeds on
 * `GET /_local/feed`, and (c) with a `dataDir`, an append-only log per bus. Rules, targets and buses survive a
 * restart when a `dataDir` is given.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  compileEventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
  type CompiledEventPattern,
} from '@wildrydes/adapters/eventbridge';
import { InvalidScheduleExpressionError, parseScheduleExpression, type Schedule } from './schedule-expression';

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

/** An error answered as `{ "__type": code, "message": ... }`, as EventBridge does. */
export class EventBridgeApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = 'EventBridgeApiError';
  }
}

type Json = Record<string, unknown>;

interface TargetState extends Json {
  readonly Id: string;
  readonly Arn: string;
  readonly Input?: string;
  readonly InputPath?: string;
}

interface RuleState {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  readonly eventPattern?: string;
  readonly compiled?: CompiledEventPattern;
  readonly scheduleExpression?: string;
  readonly schedule?: Schedule;
  state: string;
  readonly description?: string;
  readonly roleArn?: string;
  readonly targets: Map<string, TargetState>;
}

interface BusState {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly createdAt: number;
  readonly rules: Map<string, RuleState>;
}

interface FeedSubscriber {
  readonly busName: string;
  readonly compiled?: CompiledEventPattern;
  readonly response: ServerResponse;
}

interface PersistedState {
  readonly buses: readonly {
    readonly name: string;
    readonly description?: string;
    readonly createdAt: number;
    readonly rules: readonly {
      readonly name: string;
      readonly eventPattern?: string;
      readonly scheduleExpression?: string;
      readonly state: string;
      readonly description?: string;
      readonly roleArn?: string;
      readonly targets: readonly TargetState[];
    }[];
  }[];
}

const DEFAULT_BUS = 'default';
const MAX_ENTRIES = 10;
const MAX_TARGETS_PER_RULE = 5;
const NAME = /^[.\-_A-Za-z0-9]+$/;
const INPUT_PATH = /^\$(\.[^.[\]]+)*$/;
const RULE_STATES = new Set(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']);

export async function startLocalEventBridge(options: LocalEventBridgeOptions = {}): Promise<LocalEventBridge> {
  const region = options.region ?? 'us-east-1';
  const account = options.accountId ?? '000000000000';
  const now = options.now ?? (() => new Date());
  const scheduleScale = options.scheduleScale ?? 1;
  const deliveryAttempts = options.deliveryAttempts ?? 3;
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 200;
  const storeDir = options.dataDir === undefined ? undefined : join(options.dataDir, 'eventbridge');

  const buses = new Map<string, BusState>();
  const handlers = new Map<string, TargetHandler<unknown>>();
  const feeds = new Set<FeedSubscriber>();
  const scheduleTimers = new Map<string, NodeJS.Timeout>();
  const pendingRetries = new Map<NodeJS.Timeout, () => void>();
  const deadLetters: DeadLetter[] = [];
  let writes: Promise<void> = Promise.resolve();
  let closed = false;

  const busArn = (name: string): string => `arn:aws:events:${region}:${account}:event-bus/${name}`;
  const ruleArn = (bus: string, name: string): string =>
    `arn:aws:events:${region}:${account}:rule/${bus === DEFAULT_BUS ? '' : `${bus}/`}${name}`;

  // ---------------------------------------------------------------------------------------------------------
  // State and persistence
  // ---------------------------------------------------------------------------------------------------------

  function addBus(name: string, createdAt: number, description?: string): BusState {
    const bus: BusState = { name, arn: busArn(name), createdAt, rules: new Map(), ...(description === undefined ? {} : { description }) };
    buses.set(name, bus);
    return bus;
  }

  function makeRule(busName: string, fields: Omit<RuleState, 'arn' | 'busName' | 'compiled' | 'schedule' | 'targets'>, targets = new Map<string, TargetState>()): RuleState {
    return {
      ...fields,
      arn: ruleArn(busName, fields.name),
      busName,
      targets,
      ...(fields.eventPattern === undefined ? {} : { compiled: compileEventPattern(fields.eventPattern) }),
      ...(fields.scheduleExpression === undefined ? {} : { schedule: parseScheduleExpression(fields.scheduleExpression) }),
    };
  }

  /** Serialised so concurrent control-plane calls cannot interleave partial files; a response means it is on disk. */
  function persist(): Promise<void> {
    if (storeDir === undefined) return Promise.resolve();
    const snapshot: PersistedState = {
      buses: [...buses.values()].map((bus) => ({
        name: bus.name,
        createdAt: bus.createdAt,
        ...(bus.description === undefined ? {} : { description: bus.description }),
        rules: [...bus.rules.values()].map((rule) => ({
          name: rule.name,
          state: rule.state,
          ...optional({ eventPattern: rule.eventPattern, scheduleExpression: rule.scheduleExpression, description: rule.description, roleArn: rule.roleArn }),
          targets: [...rule.targets.values()],
        })),
      })),
    };
    const file = join(storeDir, 'state.json');
    return enqueueWrite(async () => {
      await writeFile(`${file}.tmp`, `${JSON.stringify(snapshot, null, 2)}\n`);
      await rename(`${file}.tmp`, file);
    });
  }

  function appendLines(fileName: string, lines: string): Promise<void> {
    if (storeDir === undefined) return Promise.resolve();
    return enqueueWrite(() => appendFile(join(storeDir, fileName), lines));
  }

  /** One write at a time; a failed write is reported to its caller and does not block the ones after it. */
  function enqueueWrite(write: () => Promise<void>): Promise<void> {
    const result = writes.then(write);
    writes = result.catch(() => undefined);
    return result;
  }

  async function load(): Promise<void> {
    if (storeDir !== undefined) {
      await mkdir(storeDir, { recursive: true });
      let text: string | undefined;
      try {
        text = await readFile(join(storeDir, 'state.json'), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      if (text !== undefined) {
        const saved = JSON.parse(text) as PersistedState;
        for (const savedBus of saved.buses) {
          const bus = addBus(savedBus.name, savedBus.createdAt, savedBus.description);
          for (const savedRule of savedBus.rules) {
            const { targets, ...fields } = savedRule;
            const rule = makeRule(bus.name, fields, new Map(targets.map((target) => [target.Id, target])));
            bus.rules.set(rule.name, rule);
            startSchedule(rule);
          }
        }
      }
    }
    if (!buses.has(DEFAULT_BUS)) addBus(DEFAULT_BUS, now().getTime());
  }

  // ---------------------------------------------------------------------------------------------------------
  // Delivery
  // ---------------------------------------------------------------------------------------------------------

  function route(bus: BusState, event: EventBridgeEnvelope): void {
    for (const rule of bus.rules.values()) {
      if (rule.state === 'DISABLED' || rule.compiled === undefined) continue;
      if (matchesEventPattern(rule.compiled, event)) deliverToTargets(rule, event);
    }
    if (feeds.size === 0) return;
    let line: string | undefined;
    for (const feed of feeds) {
      if (feed.busName !== bus.name || (feed.compiled !== undefined && !matchesEventPattern(feed.compiled, event))) continue;
      line ??= `${JSON.stringify(event)}\n`;
      feed.response.write(line);
    }
  }

  function deliverToTargets(rule: RuleState, event: EventBridgeEnvelope): void {
    for (const target of rule.targets.values()) {
      if (handlers.has(target.Arn)) deliver(rule, target, selectInput(target, event));
    }
  }

  /** Never throws into the caller: failures are retried with backoff, then dead-lettered. */
  function deliver(rule: RuleState, target: TargetState, payload: unknown): void {
    let attempt = 0;
    const deadLetter = (error: unknown): void => {
      const letter: DeadLetter = {
        event: payload,
        ruleArn: rule.arn,
        targetId: target.Id,
        targetArn: target.Arn,
        attempts: attempt,
        error: error instanceof Error ? error.message : String(error),
        at: now().toISOString(),
      };
      deadLetters.push(letter);
      appendLines('dead-letters.ndjson', `${JSON.stringify(letter)}\n`).catch((writeError: unknown) => {
        console.error('local EventBridge: could not write a dead letter', writeError);
      });
    };
    const tryOnce = async (): Promise<void> => {
      attempt += 1;
      const handler = handlers.get(target.Arn);
      try {
        if (handler === undefined) throw new Error(`no handler is registered for ${target.Arn} any more`);
        await handler(payload, { ruleArn: rule.arn, targetId: target.Id, attempt });
      } catch (error) {
        if (attempt >= deliveryAttempts || closed) {
          deadLetter(error);
          return;
        }
        const timer = setTimeout(() => {
          pendingRetries.delete(timer);
          void tryOnce();
        }, retryBaseDelayMs * 2 ** (attempt - 1));
        timer.unref();
        pendingRetries.set(timer, () => deadLetter(new Error(`the server closed before retry ${attempt + 1}: ${String(error)}`)));
      }
    };
    // Deliver after the PutEvents response, as EventBridge does: a slow handler must not slow the producer.
    setImmediate(() => {
      if (closed) deadLetter(new Error('the server closed before delivery'));
      else void tryOnce();
    });
  }

  function selectInput(target: TargetState, event: EventBridgeEnvelope): unknown {
    if (target.Input !== undefined) return JSON.parse(target.Input) as unknown;
    if (target.InputPath === undefined) return event;
    let value: unknown = event;
    for (const key of target.InputPath.split('.').slice(1)) {
      value = typeof value === 'object' && value !== null ? (value as Json)[key] : undefined;
    }
    return value ?? null;
  }

  function startSchedule(rule: RuleState): void {
    stopSchedule(rule);
    const schedule = rule.schedule;
    if (schedule === undefined || rule.state === 'DISABLED' || closed) return;
    const fire = (): void => {
      const event: EventBridgeEnvelope = {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account,
        time: formatTime(now().getTime()),
        region,
        resources: [rule.arn],
        detail: {},
      };
      deliverToTargets(rule, event);
    };
    if (schedule.kind === 'rate') {
      const timer = setInterval(fire, Math.max(1, schedule.intervalMs * scheduleScale));
      timer.unref();
      scheduleTimers.set(rule.arn, timer);
      return;
    }
    const armNext = (): void => {
      const from = now();
      const next = schedule.nextAfter(from);
      if (next === undefined) return;
      const timer = setTimeout(() => {
        fire();
        armNext();
      }, Math.max(1, (next.getTime() - from.getTime()) * scheduleScale));
      timer.unref();
      scheduleTimers.set(rule.arn, timer);
    };
    armNext();
  }

  function stopSchedule(rule: RuleState): void {
    const timer = scheduleTimers.get(rule.arn);
    if (timer !== undefined) clearTimeout(timer);
    scheduleTimers.delete(rule.arn);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Operations
  // ---------------------------------------------------------------------------------------------------------

  function busNamed(nameOrArn: unknown): BusState {
    const name = busName(nameOrArn);
    const bus = buses.get(name);
    if (bus === undefined) throw new EventBridgeApiError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return bus;
  }

  function ruleNamed(input: Json, field: 'Name' | 'Rule'): RuleState {
    const bus = busNamed(input.EventBusName);
    const name = requireString(input, field);
    const rule = bus.rules.get(name);
    if (rule === undefined) {
      throw new EventBridgeApiError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus.name}.`);
    }
    return rule;
  }

  const describeBus = (bus: BusState): Json => ({
    Name: bus.name,
    Arn: bus.arn,
    ...optional({ Description: bus.description }),
    CreationTime: bus.createdAt / 1000,
    LastModifiedTime: bus.createdAt / 1000,
  });

  const describeRule = (rule: RuleState): Json => ({
    Name: rule.name,
    Arn: rule.arn,
    ...optional({
      EventPattern: rule.eventPattern,
      ScheduleExpression: rule.scheduleExpression,
      Description: rule.description,
      RoleArn: rule.roleArn,
    }),
    State: rule.state,
    EventBusName: rule.busName,
  });

  const operations: Record<string, (input: Json) => Promise<Json> | Json> = {
    async CreateEventBus(input) {
      const name = requireString(input, 'Name');
      if (!NAME.test(name) || name.length > 256 || name.startsWith('aws.')) {
        throw new EventBridgeApiError('ValidationException', `Event bus name ${JSON.stringify(name)} is not valid.`);
      }
      if (buses.has(name)) throw new EventBridgeApiError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
      const bus = addBus(name, now().getTime(), optionalString(input, 'Description'));
      await persist();
      return { EventBusArn: bus.arn };
    },

    DescribeEventBus(input) {
      return describeBus(busNamed(input.Name));
    },

    async DeleteEventBus(input) {
      const name = busName(requireString(input, 'Name'));
      if (name === DEFAULT_BUS) throw new EventBridgeApiError('ValidationException', 'Cannot delete event bus default.');
      const bus = buses.get(name);
      if (bus === undefined) return {};
      if (bus.rules.size > 0) {
        throw new EventBridgeApiError('ValidationException', `Event bus ${name} still has rules; delete them first.`);
      }
      buses.delete(name);
      await persist();
      return {};
    },

    ListEventBuses(input) {
      const prefix = optionalString(input, 'NamePrefix') ?? '';
      const all = [...buses.values()].filter((bus) => bus.name.startsWith(prefix)).sort(byName);
      const { page, NextToken } = paginate(all, input);
      return { EventBuses: page.map(describeBus), ...optional({ NextToken }) };
    },

    async PutRule(input) {
      const name = requireString(input, 'Name');
      if (!NAME.test(name) || name.length > 64) {
        throw new EventBridgeApiError('ValidationException', `Rule name ${JSON.stringify(name)} is not valid.`);
      }
      const bus = busNamed(input.EventBusName);
      const eventPattern = optionalString(input, 'EventPattern');
      const scheduleExpression = optionalString(input, 'ScheduleExpression');
      const state = optionalString(input, 'State') ?? 'ENABLED';
      if (eventPattern === undefined && scheduleExpression === undefined) {
        throw new EventBridgeApiError('ValidationException', 'Parameter(s) EventPattern or ScheduleExpression must be specified.');
      }
      if (scheduleExpression !== undefined && bus.name !== DEFAULT_BUS) {
        throw new EventBridgeApiError('ValidationException', 'ScheduleExpression is supported only on the default event bus.');
      }
      if (!RULE_STATES.has(state)) throw new EventBridgeApiError('ValidationException', `State ${state} is not valid.`);
      const previous = bus.rules.get(name);
      // Omitted arguments are not kept on update, as AWS documents for PutRule; only the targets survive.
      const rule = makeRule(
        bus.name,
        {
          name,
          state,
          ...optional({ eventPattern, scheduleExpression, description: optionalString(input, 'Description'), roleArn: optionalString(input, 'RoleArn') }),
        },
        previous?.targets,
      );
      if (previous !== undefined) stopSchedule(previous);
      bus.rules.set(name, rule);
      startSchedule(rule);
      await persist();
      return { RuleArn: rule.arn };
    },

    DescribeRule(input) {
      const rule = ruleNamed(input, 'Name');
      return { ...describeRule(rule), CreatedBy: account };
    },

    ListRules(input) {
      const prefix = optionalString(input, 'NamePrefix') ?? '';
      const all = [...busNamed(input.EventBusName).rules.values()].filter((rule) => rule.name.startsWith(prefix)).sort(byName);
      const { page, NextToken } = paginate(all, input);
      return { Rules: page.map(describeRule), ...optional({ NextToken }) };
    },

    async EnableRule(input) {
      const rule = ruleNamed(input, 'Name');
      rule.state = 'ENABLED';
      startSchedule(rule);
      await persist();
      return {};
    },

    async DisableRule(input) {
      const rule = ruleNamed(input, 'Name');
      rule.state = 'DISABLED';
      stopSchedule(rule);
      await persist();
      return {};
    },

    async DeleteRule(input) {
      const bus = busNamed(input.EventBusName);
      const rule = bus.rules.get(requireString(input, 'Name'));
      if (rule === undefined) return {};
      if (rule.targets.size > 0) {
        throw new EventBridgeApiError('ValidationException', "Rule can't be deleted since it has targets.");
      }
      stopSchedule(rule);
      bus.rules.delete(rule.name);
      await persist();
      return {};
    },

    async PutTargets(input) {
      const rule = ruleNamed(input, 'Rule');
      const targets = requireList(input, 'Targets', 1, 10).map(validateTarget);
      const ids = new Set([...rule.targets.keys(), ...targets.map((target) => target.Id)]);
      if (ids.size > MAX_TARGETS_PER_RULE) {
        throw new EventBridgeApiError('LimitExceededException', `A rule can have at most ${MAX_TARGETS_PER_RULE} targets.`);
      }
      for (const target of targets) rule.targets.set(target.Id, target);
      await persist();
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    async RemoveTargets(input) {
      const rule = ruleNamed(input, 'Rule');
      for (const id of requireList(input, 'Ids', 1, 100)) {
        if (typeof id !== 'string') throw new EventBridgeApiError('ValidationException', 'Ids must be strings.');
        rule.targets.delete(id);
      }
      await persist();
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    ListTargetsByRule(input) {
      const rule = ruleNamed(input, 'Rule');
      const { page, NextToken } = paginate([...rule.targets.values()], input);
      return { Targets: page, ...optional({ NextToken }) };
    },

    async PutEvents(input) {
      const entries = requireList(input, 'Entries', 1, MAX_ENTRIES);
      const results: Json[] = [];
      const accepted: { bus: BusState; event: EventBridgeEnvelope }[] = [];
      for (const entry of entries) {
        try {
          const one = acceptEntry(entry);
          accepted.push(one);
          results.push({ EventId: one.event.id });
        } catch (error) {
          if (!(error instanceof EventBridgeApiError)) throw error;
          results.push({ ErrorCode: error.code, ErrorMessage: error.message });
        }
      }
      const linesByBus = new Map<string, string>();
      for (const { bus, event } of accepted) {
        linesByBus.set(bus.name, `${linesByBus.get(bus.name) ?? ''}${JSON.stringify(event)}\n`);
      }
      await Promise.all([...linesByBus].map(([name, lines]) => appendLines(`${name}.ndjson`, lines)));
      for (const { bus, event } of accepted) route(bus, event);
      return { FailedEntryCount: entries.length - accepted.length, Entries: results };
    },

    TestEventPattern(input) {
      const compiled = compilePatternOrThrow(requireString(input, 'EventPattern'));
      const eventText = requireString(input, 'Event');
      let event: unknown;
      try {
        event = JSON.parse(eventText);
      } catch {
        throw new EventBridgeApiError('ValidationException', 'Parameter Event is not valid: it is not JSON.');
      }
      const missing = ['id', 'account', 'source', 'time', 'region', 'detail-type'].filter(
        (field) => !(typeof event === 'object' && event !== null && field in event),
      );
      if (missing.length > 0) {
        throw new EventBridgeApiError('ValidationException', `Parameter Event is not valid: missing ${missing.join(', ')}.`);
      }
      return { Result: matchesEventPattern(compiled, event as object) };
    },
  };

  function acceptEntry(entry: unknown): { bus: BusState; event: EventBridgeEnvelope } {
    if (typeof entry !== 'object' || entry === null) throw new EventBridgeApiError('InvalidArgument', 'Entry is not an object.');
    const fields = entry as Json;
    const argument = (name: string): string => {
      const value = fields[name];
      if (typeof value !== 'string' || value === '') {
        throw new EventBridgeApiError('InvalidArgument', `Parameter ${name} is not valid. Reason: ${name} is a required argument.`);
      }
      return value;
    };
    const source = argument('Source');
    const detailType = argument('DetailType');
    let detail: unknown;
    try {
      detail = JSON.parse(argument('Detail'));
    } catch {
      detail = undefined;
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      throw new EventBridgeApiError('MalformedDetail', 'Detail is malformed.');
    }
    const resources = fields.Resources ?? [];
    if (!Array.isArray(resources) || !resources.every((resource) => typeof resource === 'string')) {
      throw new EventBridgeApiError('InvalidArgument', 'Parameter Resources is not valid.');
    }
    const bus = buses.get(busName(fields.EventBusName));
    if (bus === undefined) {
      throw new EventBridgeApiError('ResourceNotFoundException', `Event bus ${busName(fields.EventBusName)} does not exist.`);
    }
    const event: EventBridgeEnvelope = {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account,
      time: formatTime(entryTime(fields.Time) ?? now().getTime()),
      region,
      resources: resources as string[],
      detail: detail as Json,
    };
    return { bus, event };
  }

  // ---------------------------------------------------------------------------------------------------------
  // HTTP
  // ---------------------------------------------------------------------------------------------------------

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (request.method === 'GET' && url.pathname === '/_local/feed') {
        openFeed(url, request, response);
        return;
      }
      if (request.method !== 'POST') throw new EventBridgeApiError('UnknownOperationException', 'Only POST is supported.', 404);
      const target = request.headers['x-amz-target'];
      const operationName = typeof target === 'string' && target.startsWith('AWSEvents.') ? target.slice('AWSEvents.'.length) : '';
      const operation = Object.hasOwn(operations, operationName) ? operations[operationName] : undefined;
      const body = await readBody(request);
      if (operation === undefined) throw new EventBridgeApiError('UnknownOperationException', `Operation ${String(target)} is not supported.`);
      let input: unknown;
      try {
        input = body === '' ? {} : JSON.parse(body);
      } catch {
        throw new EventBridgeApiError('SerializationException', 'The request body is not valid JSON.');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new EventBridgeApiError('SerializationException', 'The request body must be a JSON object.');
      }
      sendJson(response, 200, await operation(input as Json));
    } catch (error) {
      const apiError = toApiError(error);
      sendJson(response, apiError.statusCode, { __type: apiError.code, message: apiError.message }, apiError.code);
    }
  }

  function openFeed(url: URL, request: IncomingMessage, response: ServerResponse): void {
    const bus = busNamed(url.searchParams.get('bus') ?? DEFAULT_BUS);
    const patternText = url.searchParams.get('pattern');
    const compiled = patternText === null || patternText === '' ? undefined : compilePatternOrThrow(patternText);
    response.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache' });
    response.flushHeaders();
    request.socket.setNoDelay(true);
    const subscriber: FeedSubscriber = { busName: bus.name, response, ...(compiled === undefined ? {} : { compiled }) };
    feeds.add(subscriber);
    response.on('close', () => feeds.delete(subscriber));
  }

  const server = createServer((request, response) => void handle(request, response));
  await load();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    registerTargetHandler<T>(targetArn: string, handler: TargetHandler<T>) {
      handlers.set(targetArn, handler as TargetHandler<unknown>);
      return () => {
        if (handlers.get(targetArn) === handler) handlers.delete(targetArn);
      };
    },
    deadLetters: () => [...deadLetters],
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of scheduleTimers.values()) clearTimeout(timer);
      scheduleTimers.clear();
      for (const [timer, abandon] of pendingRetries) {
        clearTimeout(timer);
        abandon();
      }
      pendingRetries.clear();
      for (const feed of feeds) feed.response.end();
      feeds.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
      await writes;
    },
  };
}

// -------------------------------------------------------------------------------------------------------------
// Helpers
// -------------------------------------------------------------------------------------------------------------

function compilePatternOrThrow(pattern: string): CompiledEventPattern {
  try {
    return compileEventPattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw new EventBridgeApiError(error.code, error.message);
    throw error;
  }
}

function toApiError(error: unknown): EventBridgeApiError {
  if (error instanceof EventBridgeApiError) return error;
  if (error instanceof InvalidEventPatternError || error instanceof InvalidScheduleExpressionError) {
    return new EventBridgeApiError(error.code, error.message);
  }
  console.error('local EventBridge: internal error', error);
  return new EventBridgeApiError('InternalException', error instanceof Error ? error.message : String(error), 500);
}

function sendJson(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function busName(nameOrArn: unknown): string {
  if (nameOrArn === undefined || nameOrArn === null || nameOrArn === '') return DEFAULT_BUS;
  if (typeof nameOrArn !== 'string') throw new EventBridgeApiError('ValidationException', 'EventBusName must be a string.');
  const marker = nameOrArn.indexOf(':event-bus/');
  return nameOrArn.startsWith('arn:') && marker >= 0 ? nameOrArn.slice(marker + ':event-bus/'.length) : nameOrArn;
}

function requireString(input: Json, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    throw new EventBridgeApiError('ValidationException', `1 validation error detected: Value at '${camel(field)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function optionalString(input: Json, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new EventBridgeApiError('ValidationException', `${field} must be a string.`);
  return value;
}

function requireList(input: Json, field: string, min: number, max: number): unknown[] {
  const value = input[field];
  if (!Array.isArray(value) || value.length < min || value.length > max) {
    throw new EventBridgeApiError(
      'ValidationException',
      `1 validation error detected: Value at '${camel(field)}' failed to satisfy constraint: Member must have length between ${min} and ${max}, inclusive`,
    );
  }
  return value;
}

function validateTarget(value: unknown): TargetState {
  if (typeof value !== 'object' || value === null) throw new EventBridgeApiError('ValidationException', 'A target must be an object.');
  const target = value as Json;
  const id = requireString(target, 'Id');
  requireString(target, 'Arn');
  if (!NAME.test(id) || id.length > 64) throw new EventBridgeApiError('ValidationException', `Target id ${JSON.stringify(id)} is not valid.`);
  const inputs = ['Input', 'InputPath', 'InputTransformer'].filter((field) => target[field] !== undefined);
  if (inputs.length > 1) {
    throw new EventBridgeApiError('ValidationException', 'Only one of Input, InputPath, or InputTransformer must be provided.');
  }
  if (target.InputTransformer !== undefined) {
    throw new EventBridgeApiError('ValidationException', 'InputTransformer is not supported by the local EventBridge.');
  }
  const input = optionalString(target, 'Input');
  if (input !== undefined) {
    try {
      JSON.parse(input);
    } catch {
      throw new EventBridgeApiError('ValidationException', 'Input is not valid JSON text.');
    }
  }
  const inputPath = optionalString(target, 'InputPath');
  if (inputPath !== undefined && !INPUT_PATH.test(inputPath)) {
    throw new EventBridgeApiError('ValidationException', `InputPath ${inputPath} is not supported locally: use $ or $.a.b.`);
  }
  return target as TargetState;
}

function paginate<T>(items: readonly T[], input: Json): { page: T[]; NextToken?: string } {
  const limit = typeof input.Limit === 'number' ? input.Limit : 100;
  const token = optionalString(input, 'NextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0 || limit < 1 || limit > 100) {
    throw new EventBridgeApiError('ValidationException', 'NextToken or Limit is not valid.');
  }
  const page = items.slice(start, start + limit);
  const next = start + limit < items.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
  return { page, ...(next === undefined ? {} : { NextToken: next }) };
}

/** The SDK sends `Time` as epoch seconds; accept ISO text too for hand-written requests. */
function entryTime(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new EventBridgeApiError('InvalidArgument', 'Parameter Time is not valid.');
  return ms;
}

/** EventBridge writes times to the second: 2017-12-22T18:43:48Z. */
function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function camel(field: string): string {
  return field.charAt(0).toLowerCase() + field.slice(1);
}

/** Drops undefined members, so optional fields are absent rather than present-and-undefined. */
function optional<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
