/**
 * Polls `probe` every `everyMs` until `done` accepts its value, and returns that value; past `timeoutMs` it fails,
 * naming `what` it waited for and the last value seen (so a timed-out whole-stack test says how far it got).
 */
export async function until<T>(
  what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000, everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value ${JSON.stringify(value)?.slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
