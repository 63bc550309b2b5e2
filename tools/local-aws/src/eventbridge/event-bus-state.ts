import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileEventPattern, type CompiledEventPattern } from '@wildrydes/adapters/eventbridge';
import { parseScheduleExpression, type Schedule } from './schedule-expression';

export const DEFAULT_BUS = 'default';

/** A target as PutTargets sent it; ListTargetsByRule answers it back unchanged. */
export interface TargetState extends Record<string, unknown> {
  readonly Id: string;
  readonly Arn: string;
  readonly Input?: string;
  readonly InputPath?: string;
}

export interface RuleState {
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

/** What a caller says about a rule; its ARN, compiled pattern and parsed schedule are derived. */
export type RuleFields = Omit<RuleState, 'arn' | 'busName' | 'compiled' | 'schedule' | 'targets'>;

export interface BusState {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly createdAt: number;
  readonly rules: Map<string, RuleState>;
}

interface PersistedState {
  readonly buses: readonly {
    readonly name: string;
    readonly description?: string;
    readonly createdAt: number;
    readonly rules: readonly (RuleFields & { readonly targets: readonly TargetState[] })[];
  }[];
}

export interface EventBusStateOptions {
  readonly region: string;
  readonly accountId: string;
  /** Stamps the creation time of the default bus when no saved state has one. */
  readonly now: () => Date;
  /** Keeps state and logs under `<dataDir>/eventbridge/`. In memory only when absent. */
  readonly dataDir?: string;
}

/**
 * The buses with their rules and targets, and everything the stand-in keeps in its data dir: `state.json`, one
 * NDJSON log per bus and `dead-letters.ndjson`. The default bus always exists once `load()` has run.
 */
export class EventBusState {
  private readonly buses = new Map<string, BusState>();
  private readonly storeDir: string | undefined;
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly options: EventBusStateOptions) {
    this.storeDir = options.dataDir === undefined ? undefined : join(options.dataDir, 'eventbridge');
  }

  bus(name: string): BusState | undefined {
    return this.buses.get(name);
  }

  /** In creation order, which is also the order a restart restores. */
  allBuses(): BusState[] {
    return [...this.buses.values()];
  }

  addBus(name: string, createdAt: number, description?: string): BusState {
    const bus: BusState = { name, arn: this.busArn(name), createdAt, rules: new Map(), ...(description === undefined ? {} : { description }) };
    this.buses.set(name, bus);
    return bus;
  }

  deleteBus(name: string): void {
    this.buses.delete(name);
  }

  /** Throws `InvalidEventPatternError` or `InvalidScheduleExpressionError` for a pattern or schedule it cannot use. */
  makeRule(busName: string, fields: RuleFields, targets = new Map<string, TargetState>()): RuleState {
    return {
      ...fields,
      arn: this.ruleArn(busName, fields.name),
      busName,
      targets,
      ...(fields.eventPattern === undefined ? {} : { compiled: compileEventPattern(fields.eventPattern) }),
      ...(fields.scheduleExpression === undefined ? {} : { schedule: parseScheduleExpression(fields.scheduleExpression) }),
    };
  }

  async load(): Promise<void> {
    if (this.storeDir !== undefined) {
      await mkdir(this.storeDir, { recursive: true });
      const saved = await readSavedState(join(this.storeDir, 'state.json'));
      for (const savedBus of saved?.buses ?? []) {
        const bus = this.addBus(savedBus.name, savedBus.createdAt, savedBus.description);
        for (const { targets, ...fields } of savedBus.rules) {
          bus.rules.set(fields.name, this.makeRule(bus.name, fields, new Map(targets.map((target) => [target.Id, target]))));
        }
      }
    }
    if (!this.buses.has(DEFAULT_BUS)) this.addBus(DEFAULT_BUS, this.options.now().getTime());
  }

  /** Serialised so concurrent control-plane calls cannot interleave partial files; a response means it is on disk. */
  persist(): Promise<void> {
    const storeDir = this.storeDir;
    if (storeDir === undefined) return Promise.resolve();
    // JSON.stringify leaves out undefined members, so optional fields are absent from the file.
    const snapshot: PersistedState = {
      buses: this.allBuses().map((bus) => ({
        name: bus.name,
        createdAt: bus.createdAt,
        description: bus.description,
        rules: [...bus.rules.values()].map((rule) => ({
          name: rule.name,
          state: rule.state,
          eventPattern: rule.eventPattern,
          scheduleExpression: rule.scheduleExpression,
          description: rule.description,
          roleArn: rule.roleArn,
          targets: [...rule.targets.values()],
        })),
      })),
    };
    const file = join(storeDir, 'state.json');
    return this.enqueueWrite(async () => {
      await writeFile(`${file}.tmp`, `${JSON.stringify(snapshot, null, 2)}\n`);
      await rename(`${file}.tmp`, file);
    });
  }

  appendEvents(busName: string, events: readonly object[]): Promise<void> {
    return this.appendNdjson(`${busName}.ndjson`, events);
  }

  appendDeadLetter(letter: object): Promise<void> {
    return this.appendNdjson('dead-letters.ndjson', [letter]);
  }

  /** Resolves once every write queued so far has finished, whether it succeeded or not. */
  settled(): Promise<void> {
    return this.writes;
  }

  private appendNdjson(fileName: string, records: readonly object[]): Promise<void> {
    const storeDir = this.storeDir;
    if (storeDir === undefined) return Promise.resolve();
    const lines = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    return this.enqueueWrite(() => appendFile(join(storeDir, fileName), lines));
  }

  /** One write at a time; a failed write is reported to its caller and does not block the ones after it. */
  private enqueueWrite(write: () => Promise<void>): Promise<void> {
    const result = this.writes.then(write);
    this.writes = result.catch(() => undefined);
    return result;
  }

  private busArn(name: string): string {
    return `arn:aws:events:${this.options.region}:${this.options.accountId}:event-bus/${name}`;
  }

  private ruleArn(busName: string, name: string): string {
    return `arn:aws:events:${this.options.region}:${this.options.accountId}:rule/${busName === DEFAULT_BUS ? '' : `${busName}/`}${name}`;
  }
}

async function readSavedState(file: string): Promise<PersistedState | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as PersistedState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
