/**
 * The workshop's Go CLIs took long flags with one dash (`-name Shadowfax`, `-msgs=5`). Commander wants two, so the
 * known long flags are rewritten before parsing. Only flags the tool declares are touched, nothing after `--`.
 */
export function normaliseGoStyleFlags(argv: readonly string[], longFlags: readonly string[]): string[] {
  const known = new Set(longFlags.map((flag) => flag.replace(/^--/, '')));
  const out: string[] = [];
  let passThrough = false;
  for (const arg of argv) {
    if (passThrough || arg === '--') {
      passThrough = true;
      out.push(arg);
      continue;
    }
    const match = /^-([a-z][a-z0-9-]+)(=.*)?$/.exec(arg);
    out.push(match !== null && known.has(match[1] as string) ? `-${arg}` : arg);
  }
  return out;
}
