import { readFileSync } from 'node:fs';

/** A captured event fixture from this folder, parsed fresh for each call (tests may change it). */
export function loadEvent<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(`./${path}`, import.meta.url), 'utf8')) as T;
}
