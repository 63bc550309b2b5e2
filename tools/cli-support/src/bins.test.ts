import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRepoRoot } from '@wildrydes/local-aws';

const REPO_ROOT = findRepoRoot();

/** `npx <bin> …` from the repository root, as the README says, stdout and stderr apart. */
const npx = (args: readonly string[]): { code: number; stdout: string; stderr: string } => {
  const run = spawnSync('npx', ['--no-install', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
};

describe('the wildrydes-* bins, run with npx from the repository root', () => {
  it.each([
    ['wildrydes-producer', 'Usage: producer'],
    ['wildrydes-consumer', 'Usage: consumer'],
    ['wildrydes-query', 'Usage: query'],
    ['wildrydes-upload', 'Usage: upload'],
  ])('%s --help prints its usage first, with no banner line before it', (bin, usage) => {
    const run = npx([bin, '--help']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.startsWith(usage)).toBe(true);
  });

  describe('output meant for a pipe', () => {
    let archive: string;
    beforeAll(async () => {
      archive = await mkdtemp(join(tmpdir(), 'wildrydes-bins-'));
      await mkdir(join(archive, 'raw/dt=2026-11-22/hour=10'), { recursive: true });
      const line = (second: number) => JSON.stringify({ Name: 'Shadowfax', StatusTime: `2026-11-22 10:00:0${second}.000`, Latitude: 40.75, Longitude: -73.98, Distance: 30, MagicPoints: 150, HealthPoints: 150 });
      await writeFile(join(archive, 'raw/dt=2026-11-22/hour=10/shard-0-1.json.gz'), gzipSync(`${line(1)}\n${line(2)}\n`));
    });
    afterAll(async () => {
      await rm(archive, { recursive: true, force: true });
    });

    it('wildrydes-query --format csv writes nothing but the CSV on stdout (what `> trip.csv` keeps)', () => {
      const run = npx(['wildrydes-query', '--archive-dir', archive, '--named', 'trip', '--name', 'Shadowfax', '--format', 'csv']);

      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe('latitude,longitude,statustime');
      expect(run.stdout.trimEnd().split('\n')).toHaveLength(3);
      expect(run.stderr).toMatch(/^2 rows; /);
    });

    it('wildrydes-producer --dry-run writes one JSON reading per line, nothing else', () => {
      const run = npx(['wildrydes-producer', '--dry-run', '--rate', '0', '-msgs', '3']);

      expect(run.code, run.stderr).toBe(0);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      for (const line of lines) expect(JSON.parse(line)).toHaveProperty('Name', 'Shadowfax');
      expect(run.stdout).not.toMatch(/[\r\x1b]/);
    });
  });
});
