// A stamp of a connection's database state: it changes when any connection commits (data_version) or this one writes.
import type { Database } from '../db.js';

export function databaseState(db: Database): string {
  return `${db.prepare('PRAGMA data_version').pluck().get() as number}:${db.prepare('SELECT total_changes()').pluck().get() as number}`;
}

/**
 * A cache kept per connection whose entries hold for one database state: `get(db, key, state, make)` returns what
 * `make` built for that key in this state, and builds it again once the state (databaseState) has changed.
 */
export function connectionCache<T>(): (db: Database, key: string, state: string, make: () => T) => T {
  const perDb = new WeakMap<Database, Map<string, { state: string; value: T }>>();
  return (db, key, state, make) => {
    let entries = perDb.get(db);
    if (!entries) perDb.set(db, (entries = new Map()));
    const hit = entries.get(key);
    if (hit && hit.state === state) return hit.value;
    const value = make();
    entries.set(key, { state, value });
    return value;
  };
}
