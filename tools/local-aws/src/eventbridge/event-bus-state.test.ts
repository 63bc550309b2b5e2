import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBusState, type EventBusStateOptions } from './event-bus-state';

const NOW = new Date('2026-03-01T12:34:56.789Z');
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function aDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'event-bus-state-'));
  dirs.push(dir);
  return dir;
}

async function loaded(options: Partial<EventBusStateOptions> = {}): Promise<EventBusState> {
  const state = new EventBusState({ region: 'eu-west-1', accountId: '123456789012', now: () => NOW, ...options });
  await state.load();
  return state;
}

describe('EventBusState', () => {
  it.each<[string, string, string, string]>([
    ['the default bus', 'default', 'arn:aws:events:eu-west-1:123456789012:event-bus/default', 'arn:aws:events:eu-west-1:123456789012:rule/tick'],
    ['a custom bus', 'wildrydes', 'arn:aws:events:eu-west-1:123456789012:event-bus/wildrydes', 'arn:aws:events:eu-west-1:123456789012:rule/wildrydes/tick'],
  ])('names %s and its rules with the ARNs AWS uses', async (_, busName, busArn, ruleArn) => {
    // Prepare
    const state = await loaded();

    // Act
    const bus = state.bus(busName) ?? state.addBus(busName, NOW.getTime());
    const rule = state.makeRule(busName, { name: 'tick', state: 'ENABLED', eventPattern: '{"source":["x"]}' });

    // Assess
    expect([bus.arn, rule.arn]).toEqual([busArn, ruleArn]);
  });

  it('starts with only the default bus, created now, when there is no saved state', async () => {
    // Act
    const state = await loaded({ dataDir: await aDataDir() });

    // Assess
    expect(state.allBuses().map((bus) => [bus.name, bus.createdAt, bus.rules.size])).toEqual([['default', NOW.getTime(), 0]]);
  });

  it('gives a new instance the buses, rules and targets persisted by the last one, in order', async () => {
    // Prepare
    const dataDir = await aDataDir();
    const first = await loaded({ dataDir });
    const bus = first.addBus('wildrydes', Date.UTC(2026, 0, 1), 'fleet events');
    const rule = first.makeRule('wildrydes', { name: 'alerts', state: 'DISABLED', eventPattern: '{"source":["x"]}', description: 'alerts' });
    rule.targets.set('notify', { Id: 'notify', Arn: 'arn:local:notify', InputPath: '$.detail' });
    bus.rules.set(rule.name, rule);
    await first.persist();

    // Act
    const second = await loaded({ dataDir, now: () => new Date(0) });

    // Assess
    const restored = second.bus('wildrydes')?.rules.get('alerts');
    expect(second.allBuses().map((each) => [each.name, each.createdAt, each.description])).toEqual([
      ['default', NOW.getTime(), undefined],
      ['wildrydes', Date.UTC(2026, 0, 1), 'fleet events'],
    ]);
    expect(restored).toMatchObject({ arn: rule.arn, state: 'DISABLED', eventPattern: '{"source":["x"]}', description: 'alerts', compiled: expect.anything() });
    expect([...(restored?.targets.values() ?? [])]).toEqual([{ Id: 'notify', Arn: 'arn:local:notify', InputPath: '$.detail' }]);
  });

  it('refuses to start from a state.json that is not JSON, rather than starting empty', async () => {
    // Prepare
    const dataDir = await aDataDir();
    await loaded({ dataDir });
    await writeFile(join(dataDir, 'eventbridge', 'state.json'), '{"buses": [');

    // Act
    const loading = loaded({ dataDir });

    // Assess
    await expect(loading).rejects.toThrow(SyntaxError);
  });

  it('appends events and dead letters as NDJSON, and a failed write does not block the ones after it', async () => {
    // Prepare
    const dataDir = await aDataDir();
    const state = await loaded({ dataDir });

    // Act
    const failed = state.appendEvents('no/such/dir', [{ n: 0 }]).then(() => 'written', () => 'failed');
    await state.appendEvents('wildrydes', [{ n: 1 }, { n: 2 }]);
    await state.appendEvents('wildrydes', [{ n: 3 }]);
    await state.appendDeadLetter({ targetId: 'notify' });
    await state.settled();

    // Assess
    expect(await failed).toBe('failed');
    expect(await readFile(join(dataDir, 'eventbridge', 'wildrydes.ndjson'), 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
    expect(await readFile(join(dataDir, 'eventbridge', 'dead-letters.ndjson'), 'utf8')).toBe('{"targetId":"notify"}\n');
  });

  it('resolves every write without a data dir, as the state lives in memory only', async () => {
    // Prepare
    const state = await loaded();

    // Act
    const writes = [state.persist(), state.appendEvents('default', [{ n: 1 }]), state.appendDeadLetter({}), state.settled()];

    // Assess
    await expect(Promise.all(writes)).resolves.toEqual([undefined, undefined, undefined, undefined]);
  });
});
