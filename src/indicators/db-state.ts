// A stamp of a connection's database state: it changes when any connection commits (data_version) or this one writes.
import type { Database } from '../db.js';

export function databaseState(db: Database): string {
  return `${db.prepare('PRAGMA data_version').pluck().get() as number}:${db.prepare('SELECT total_changes()').pluck().get() as number}`;
}
