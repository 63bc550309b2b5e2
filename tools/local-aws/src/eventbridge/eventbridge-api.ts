import { matchesEventPattern, type CompiledEventPattern } from '@wildrydes/adapters/eventbridge';
import { createEnvelope, type EventBridgeEnvelope } from './event-envelope';
import { DEFAULT_BUS, type BusState, type EventBusState, type RuleState } from './event-bus-state';
import {
  busName,
  compilePatternOrThrow,
  entryTime,
  EventBridgeApiError,
  optionalString,
  paginate,
  requireList,
  requireString,
  RESOURCE_NAME,
  validateTarget,
  type Json,
} from './eventbridge-request-validation';
import type { RuleSchedules } from './rule-schedules';

const MAX_ENTRIES = 10;
const MAX_TARGETS_PER_RULE = 5;
const RULE_STATES = new Set(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']);

export interface EventBridgeApiOptions {
  readonly state: EventBusState;
  readonly schedules: Pick<RuleSchedules, 'start' | 'stop'>;
  /** Sends an accepted event on to the bus's rules and feeds; called once the event is in the bus log. */
  readonly publish: (bus: BusState, event: EventBridgeEnvelope) => void;
  readonly region: string;
  readonly accountId: string;
  /** Stamps new buses, and events that carry no `Time`. */
  readonly now: () => Date;
}

/** What a feed subscriber asked for, once checked. */
export interface FeedSelection {
  readonly busName: string;
  readonly compiled?: CompiledEventPattern;
}

type Operation = (input: Json) => Promise<Json> | Json;

/**
 * The EventBridge operations the stand-in answers, by their AWS names, with the validation and error codes AWS
 * uses. Errors from a bad pattern or schedule are thrown as the matcher's and parser's own errors, which carry the
 * AWS code too; `toApiError` turns either kind into the wire shape.
 */
export class EventBridgeApi {
  private readonly state: EventBusState;
  private readonly schedules: Pick<RuleSchedules, 'start' | 'stop'>;

  constructor(private readonly options: EventBridgeApiOptions) {
    this.state = options.state;
    this.schedules = options.schedules;
  }

  supports(operationName: string): boolean {
    return Object.hasOwn(this.operations, operationName);
  }

  async invoke(operationName: string, input: Json): Promise<Json> {
    const operation = this.supports(operationName) ? this.operations[operationName] : undefined;
    if (operation === undefined) throw new EventBridgeApiError('UnknownOperationException', `Operation ${operationName} is not supported.`);
    return operation(input);
  }

  /** Checks the query of a live feed: the bus must exist and the pattern, when there is one, must compile. */
  resolveFeed(bus: string | null, pattern: string | null): FeedSelection {
    const name = this.busNamed(bus ?? DEFAULT_BUS).name;
    const compiled = pattern === null || pattern === '' ? undefined : compilePatternOrThrow(pattern);
    return { busName: name, ...(compiled === undefined ? {} : { compiled }) };
  }

  private readonly operations: Readonly<Record<string, Operation>> = {
    CreateEventBus: async (input) => {
      const name = requireString(input, 'Name');
      if (!RESOURCE_NAME.test(name) || name.length > 256 || name.startsWith('aws.')) {
        throw new EventBridgeApiError('ValidationException', `Event bus name ${JSON.stringify(name)} is not valid.`);
      }
      if (this.state.bus(name) !== undefined) throw new EventBridgeApiError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
      const bus = this.state.addBus(name, this.options.now().getTime(), optionalString(input, 'Description'));
      await this.state.persist();
      return { EventBusArn: bus.arn };
    },

    DescribeEventBus: (input) => describeBus(this.busNamed(input.Name)),

    DeleteEventBus: async (input) => {
      const name = busName(requireString(input, 'Name'));
      if (name === DEFAULT_BUS) throw new EventBridgeApiError('ValidationException', 'Cannot delete event bus default.');
      const bus = this.state.bus(name);
      if (bus === undefined) return {};
      if (bus.rules.size > 0) {
        throw new EventBridgeApiError('ValidationException', `Event bus ${name} still has rules; delete them first.`);
      }
      this.state.deleteBus(name);
      await this.state.persist();
      return {};
    },

    ListEventBuses: (input) => {
      const prefix = optionalString(input, 'NamePrefix') ?? '';
      const all = this.state.allBuses().filter((bus) => bus.name.startsWith(prefix)).sort(byName);
      const { page, NextToken } = paginate(all, input);
      return { EventBuses: page.map(describeBus), ...optional({ NextToken }) };
    },

    PutRule: async (input) => {
      const name = requireString(input, 'Name');
      if (!RESOURCE_NAME.test(name) || name.length > 64) {
        throw new EventBridgeApiError('ValidationException', `Rule name ${JSON.stringify(name)} is not valid.`);
      }
      const bus = this.busNamed(input.EventBusName);
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
      const rule = this.state.makeRule(
        bus.name,
        {
          name,
          state,
          ...optional({ eventPattern, scheduleExpression, description: optionalString(input, 'Description'), roleArn: optionalString(input, 'RoleArn') }),
        },
        previous?.targets,
      );
      if (previous !== undefined) this.schedules.stop(previous);
      bus.rules.set(name, rule);
      this.schedules.start(rule);
      await this.state.persist();
      return { RuleArn: rule.arn };
    },

    DescribeRule: (input) => ({ ...describeRule(this.ruleNamed(input, 'Name')), CreatedBy: this.options.accountId }),

    ListRules: (input) => {
      const prefix = optionalString(input, 'NamePrefix') ?? '';
      const all = [...this.busNamed(input.EventBusName).rules.values()].filter((rule) => rule.name.startsWith(prefix)).sort(byName);
      const { page, NextToken } = paginate(all, input);
      return { Rules: page.map(describeRule), ...optional({ NextToken }) };
    },

    EnableRule: async (input) => {
      const rule = this.ruleNamed(input, 'Name');
      rule.state = 'ENABLED';
      this.schedules.start(rule);
      await this.state.persist();
      return {};
    },

    DisableRule: async (input) => {
      const rule = this.ruleNamed(input, 'Name');
      rule.state = 'DISABLED';
      this.schedules.stop(rule);
      await this.state.persist();
      return {};
    },

    DeleteRule: async (input) => {
      const bus = this.busNamed(input.EventBusName);
      const rule = bus.rules.get(requireString(input, 'Name'));
      if (rule === undefined) return {};
      if (rule.targets.size > 0) {
        throw new EventBridgeApiError('ValidationException', "Rule can't be deleted since it has targets.");
      }
      this.schedules.stop(rule);
      bus.rules.delete(rule.name);
      await this.state.persist();
      return {};
    },

    PutTargets: async (input) => {
      const rule = this.ruleNamed(input, 'Rule');
      const targets = requireList(input, 'Targets', 1, 10).map(validateTarget);
      const ids = new Set([...rule.targets.keys(), ...targets.map((target) => target.Id)]);
      if (ids.size > MAX_TARGETS_PER_RULE) {
        throw new EventBridgeApiError('LimitExceededException', `A rule can have at most ${MAX_TARGETS_PER_RULE} targets.`);
      }
      for (const target of targets) rule.targets.set(target.Id, target);
      await this.state.persist();
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    RemoveTargets: async (input) => {
      const rule = this.ruleNamed(input, 'Rule');
      for (const id of requireList(input, 'Ids', 1, 100)) {
        if (typeof id !== 'string') throw new EventBridgeApiError('ValidationException', 'Ids must be strings.');
        rule.targets.delete(id);
      }
      await this.state.persist();
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    ListTargetsByRule: (input) => {
      const rule = this.ruleNamed(input, 'Rule');
      const { page, NextToken } = paginate([...rule.targets.values()], input);
      return { Targets: page, ...optional({ NextToken }) };
    },

    PutEvents: async (input) => {
      const entries = requireList(input, 'Entries', 1, MAX_ENTRIES);
      const results: Json[] = [];
      const accepted: { bus: BusState; event: EventBridgeEnvelope }[] = [];
      for (const entry of entries) {
        // A bad entry fails alone, reported in its slot, as EventBridge does; only the list itself fails the call.
        try {
          const one = this.acceptEntry(entry);
          accepted.push(one);
          results.push({ EventId: one.event.id });
        } catch (error) {
          if (!(error instanceof EventBridgeApiError)) throw error;
          results.push({ ErrorCode: error.code, ErrorMessage: error.message });
        }
      }
      const eventsByBus = new Map<string, EventBridgeEnvelope[]>();
      for (const { bus, event } of accepted) {
        const events = eventsByBus.get(bus.name) ?? [];
        events.push(event);
        eventsByBus.set(bus.name, events);
      }
      await Promise.all([...eventsByBus].map(([name, events]) => this.state.appendEvents(name, events)));
      for (const { bus, event } of accepted) this.options.publish(bus, event);
      return { FailedEntryCount: entries.length - accepted.length, Entries: results };
    },

    TestEventPattern: (input) => {
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

  private busNamed(nameOrArn: unknown): BusState {
    const name = busName(nameOrArn);
    const bus = this.state.bus(name);
    if (bus === undefined) throw new EventBridgeApiError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return bus;
  }

  private ruleNamed(input: Json, field: 'Name' | 'Rule'): RuleState {
    const bus = this.busNamed(input.EventBusName);
    const name = requireString(input, field);
    const rule = bus.rules.get(name);
    if (rule === undefined) {
      throw new EventBridgeApiError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus.name}.`);
    }
    return rule;
  }

  /** Throws an `EventBridgeApiError` whose code is the entry's `ErrorCode`. */
  private acceptEntry(entry: unknown): { bus: BusState; event: EventBridgeEnvelope } {
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
    const bus = this.state.bus(busName(fields.EventBusName));
    if (bus === undefined) {
      throw new EventBridgeApiError('ResourceNotFoundException', `Event bus ${busName(fields.EventBusName)} does not exist.`);
    }
    const event = createEnvelope({
      detailType,
      source,
      account: this.options.accountId,
      region: this.options.region,
      timeMs: entryTime(fields.Time) ?? this.options.now().getTime(),
      resources: resources as string[],
      detail: detail as Json,
    });
    return { bus, event };
  }
}

function describeBus(bus: BusState): Json {
  return {
    Name: bus.name,
    Arn: bus.arn,
    ...optional({ Description: bus.description }),
    CreationTime: bus.createdAt / 1000,
    LastModifiedTime: bus.createdAt / 1000,
  };
}

function describeRule(rule: RuleState): Json {
  return {
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
  };
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Drops undefined members, so optional fields are absent rather than present-and-undefined. */
function optional<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
