import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const domainSrc = join(repoRoot, 'domain', 'src');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

/**
 * The lint rules are the check that keeps the domain pure; this suite proves they still bite, so that
 * loosening eslint.config.js cannot silently switch the check off.
 */
describe('domain purity', () => {
  const eslint = new ESLint({ cwd: repoRoot });
  const lintAsDomain = async (code: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(domainSrc, 'purity-probe.ts') });
    return result!.messages.map((m) => m.message).join('\n');
  };

  it.each([
    ["import { KinesisClient } from '@aws-sdk/client-kinesis'; export const x = KinesisClient;", /not allowed to import "@aws-sdk\/client-kinesis"|restricted/],
    ["import type { KinesisStreamEvent } from 'aws-lambda'; export type X = KinesisStreamEvent;", /aws-lambda/],
    ["import { Stack } from 'aws-cdk-lib'; export const x = Stack;", /aws-cdk-lib/],
    ["import { Logger } from '@aws-lambda-powertools/logger'; export const x = Logger;", /powertools/],
    ["import { Container } from 'inversify'; export const x = Container;", /inversify/],
    ["import { readFileSync } from 'node:fs'; export const x = readFileSync;", /node:fs/],
    ["import { createServer } from 'node:http'; export const x = createServer;", /node:http/],
    ["import { randomUUID } from 'node:crypto'; export const x = randomUUID;", /node:crypto/],
    ["import { spawn } from 'child_process'; export const x = spawn;", /child_process/],
    ['export const now = Date.now();', /time as an argument/],
    ['export const now = new Date();', /reads the clock/],
    ['export const r = Math.random();', /seed/],
    ['export const e = process.env;', /environment/],
    ["import { x } from '@wildrydes/adapters/s3'; export const y = x;", /adapters|Circular|not allowed/],
  ])('refuses %s', async (code, message) => {
    expect(await lintAsDomain(code)).toMatch(message);
  });

  it('accepts pure code, including a date built from an argument', async () => {
    expect(await lintAsDomain('export const day = (t: number): string => new Date(t).toISOString();\n')).toBe('');
  });

  it('holds for every source file in domain/src today', () => {
    const forbidden = /from ['"](@aws-sdk\/|aws-lambda|aws-cdk-lib|@aws-lambda-powertools\/|inversify|node:|fs|http|https|net|child_process|crypto)['"/]|Date\.now\(|Math\.random\(|new Date\(\)/;
    const offenders = sourceFiles(domainSrc)
      .filter((file) => !file.endsWith('.test.ts'))
      .filter((file) => forbidden.test(readFileSync(file, 'utf8')))
      .map((file) => relative(repoRoot, file));
    expect(offenders).toEqual([]);
  });
});
