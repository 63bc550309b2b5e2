import { describe, expect, it } from 'vitest';
import type { SimulatedRecord } from '@wildrydes/domain';
import { RecordPacker, type PackedRecord } from './record-packer';

const names = Array.from({ length: 1_000 }, (_, i) => `Unicorn-${i}`);
const tickOf = (second: number): SimulatedRecord[] => names.map((name) => ({ partitionKey: name, data: `{"Name":"${name}","Second":${second}}\n`, kind: 'reading' }));
const decoder = new TextDecoder();
const linesOf = (packed: PackedRecord): string[] => decoder.decode(packed.record.data).split('\n').filter((line) => line !== '');

describe('RecordPacker', () => {
  it('sends every unicorn\'s full pack at the same tick when not staggered', () => {
    // Prepare
    const packer = new RecordPacker(25);

    // Act
    const perTick = Array.from({ length: 50 }, (_, second) => packer.add(tickOf(second)).length);

    // Assess
    expect(perTick.filter((sent) => sent > 0)).toEqual([1_000, 1_000]);
    expect(perTick[24]).toBe(1_000);
  });

  it('staggered, spreads a fleet\'s packs over K ticks: first packs of 1 to K readings, then full ones, every reading once and in order', () => {
    // Prepare
    const packer = new RecordPacker(25, { staggered: true });
    const sent: PackedRecord[] = [];

    // Act
    const perTick = Array.from({ length: 100 }, (_, second) => {
      const ready = packer.add(tickOf(second));
      sent.push(...ready);
      return ready.length;
    });
    sent.push(...packer.drain());

    // Assess: after the first K ticks every tick sends about N / K packs, none far from it.
    const steady = perTick.slice(25);
    expect(Math.min(...steady)).toBeGreaterThan(1_000 / 25 / 2);
    expect(Math.max(...steady)).toBeLessThan((1_000 / 25) * 2);
    const byUnicorn = new Map<string, string[][]>();
    for (const packed of sent) byUnicorn.set(packed.record.partitionKey, [...(byUnicorn.get(packed.record.partitionKey) ?? []), linesOf(packed)]);
    for (const name of names) {
      const packs = byUnicorn.get(name)!;
      expect(packs.flat()).toEqual(Array.from({ length: 100 }, (_, second) => `{"Name":"${name}","Second":${second}}`));
      expect(packs[0]!.length).toBeGreaterThanOrEqual(1);
      expect(packs.slice(1, -1).every((lines) => lines.length === 25)).toBe(true);
    }
    expect(new Set([...byUnicorn.values()].map((packs) => packs[0]!.length)).size).toBe(25);
  });

  it('packs one reading per record alike, staggered or not', () => {
    const packer = new RecordPacker(1, { staggered: true });
    expect(packer.add(tickOf(0))).toHaveLength(1_000);
    expect(packer.drain()).toEqual([]);
  });
});
