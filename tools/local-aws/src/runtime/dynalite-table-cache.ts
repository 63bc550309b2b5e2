/**
 * dynalite's table descriptions kept in memory, with the same answers.
 *
 * Every request dynalite serves starts by reading its table's description from LevelDB and decoding it (`getTable`):
 * a conditional PutItem reads LevelDB twice, once for the table and once for the item. Profiled under `npm start`
 * with 5,000 unicorns arriving at once (a health state and a minute lookup each), LevelDB reads were the emulator
 * host's largest self time and the table reads about half of them. Descriptions change only through the table
 * store's own writes (CreateTable, UpdateTable, DeleteTable and their status changes), so each description read is
 * kept, by name, until the table store is written to again; a read that was under way while a write was (started
 * before it, or finished after it began) is not kept. Every caller gets its own copy, as a fresh decode would give:
 * UpdateTable and DeleteTable change the object they are given before writing it back.
 */

type Callback = (error: unknown, value?: unknown) => void;

/** dynalite's key-prefixed view of its LevelDB for one kind of record (`getSubDb('table')`). */
export interface DynaliteSubDb {
  get(key: string, callback: Callback): void;
  put(key: string, value: unknown, callback: Callback): void;
  del(key: string, callback: Callback): void;
  batch(operations: unknown[], callback: Callback): void;
}

/** The part of dynalite's store (`db.create`) used here. */
export interface DynaliteStore {
  readonly tableDb: DynaliteSubDb;
}

export interface DynaliteDbModule {
  create(options?: object): DynaliteStore;
}

/** Makes every store dynalite creates from now on keep its table descriptions (dynalite calls `db.create` by name). */
export function installTableCache(dbModule: DynaliteDbModule): void {
  const create = dbModule.create.bind(dbModule);
  dbModule.create = (options) => {
    const store = create(options);
    cacheTableDescriptions(store.tableDb);
    return store;
  };
}

/** Wraps one table store's methods in place: the store's own code calls them through the object. */
export function cacheTableDescriptions(tableDb: DynaliteSubDb): void {
  const get = tableDb.get.bind(tableDb);
  const put = tableDb.put.bind(tableDb);
  const del = tableDb.del.bind(tableDb);
  const batch = tableDb.batch.bind(tableDb);
  const kept = new Map<string, unknown>();
  /** Moves on at the start and at the end of every write: a read that saw it move may have read either side. */
  let generation = 0;
  const changing = (callback: Callback): Callback => {
    generation += 1;
    kept.clear();
    return (error, value) => {
      generation += 1;
      kept.clear();
      callback?.(error, value);
    };
  };

  tableDb.get = (key, callback) => {
    if (kept.has(key)) {
      const copy = structuredClone(kept.get(key));
      setImmediate(callback, null, copy);
      return;
    }
    const seen = generation;
    get(key, (error, value) => {
      if (!error && seen === generation && typeof value === 'object' && value !== null) kept.set(key, structuredClone(value));
      callback(error, value);
    });
  };
  tableDb.put = (key, value, callback) => put(key, value, changing(callback));
  tableDb.del = (key, callback) => del(key, changing(callback));
  tableDb.batch = (operations, callback) => batch(operations, changing(callback));
}
