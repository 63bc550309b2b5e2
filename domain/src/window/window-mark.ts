import type { MergeOptions, WindowMark } from '../ports/summary-store.port';

/** The mark a summary store's merge leaves on its windows, from the caller's options. */
export const windowMarkOf = (options: MergeOptions): WindowMark =>
  options.markEmitted === true ? 'emitted' : options.reopen === true ? 'pending' : 'keep';
