// Hand-built SQLite databases for indicator tests: real files on disk, tables from the register catalogue.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../src/db.js';
import { ensureRegisterTables } from '../../src/registers/tables.js';
import { computeIndicators, type ComputeOptions } from '../../src/indicators/compute.js';

export function freshDb(): { db: Database; file: string } {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gw-ind-')), 'test.sqlite');
  const db = openDatabase(file);
  ensureRegisterTables(db);
  return { db, file };
}

export function insert(db: Database, table: string, rows: Record<string, unknown>[]): void {
  for (const row of rows) {
    const cols = Object.keys(row);
    db.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => row[c] as never));
  }
}

/** numerator, denominator and value of one indicator for the whole unit. */
export function one(db: Database, id: string, period: string, extra: Partial<ComputeOptions> = {}) {
  const res = computeIndicators(db, { period, only: [id], ...extra });
  const r = res.results.find((x) => x.id === id && x.group === null)!;
  return { num: r.numerator, den: r.denominator, value: r.value, reason: r.reason, r, res };
}
