// Indicator facts stored beside the registers (derived_indicator_facts): one row per family of the built-in
// follow-up and record entries, and one per register the data-quality notes read (quality.ts), the same facts a
// fresh process would otherwise read from the registers, so that
// `gongwei indicators compute` and the summary start from them. A row holds for the registers it was read from
// while no row was added to them (max rowid) and no import changed them since (import id); otherwise, or when it is
// of another format or missing, the counters read the registers themselves (identical results).
import { tableExists, type Database } from '../db.js';
import { packColumns, unpackColumns } from '../packed-columns.js';

export const INDICATOR_FACTS_TABLE = 'derived_indicator_facts';
/** Bumped when the stored form of any family changes, or a family is added: rows of another format are never read. */
const FORMAT = 2;

/** Group labels (village, doctor) numbered in order of first sight, as the facts store them: label(v) is v's index in labels, -1 for null. */
export function labelTable(): { labels: string[]; label: (v: unknown) => number } {
  const labels: string[] = [];
  const index = new Map<string, number>();
  const label = (v: unknown): number => {
    if (v === null) return -1;
    let k = index.get(v as string);
    if (k === undefined) index.set(v as string, (k = labels.push(v as string) - 1));
    return k;
  };
  return { labels, label };
}


/** What a family stores: columns of whole numbers (packed-columns.ts) and its texts (labels, conditions, values kept as stored) as JSON. */
export interface StoredFacts {
  columns: Int32Array[];
  texts: string;
}

const maxRowid = (db: Database, table: string) =>
  tableExists(db, table) ? ((db.prepare(`SELECT max(rowid) FROM "${table.replaceAll('"', '""')}"`).pluck().get() as number | null) ?? 0) : -1;

const lastImport = (db: Database) => (tableExists(db, 'imports') ? ((db.prepare('SELECT max(id) FROM imports').pluck().get() as number | null) ?? 0) : 0);

/** The registers' present state as stored with a family: the last rowid of each (−1: no such table). */
const rowidsOf = (db: Database, registers: string[]) => JSON.stringify(registers.map((t) => maxRowid(db, t)));

/** The stored facts of `key`, when they describe `registers` as they are now; undefined otherwise. */
export function readStoredFacts(db: Database, key: string, registers: string[]): StoredFacts | undefined {
  if (!storedFactsFresh(db, key, registers)) return undefined;
  const row = db.prepare(`SELECT texts, data FROM ${INDICATOR_FACTS_TABLE} WHERE key = ?`).raw().get(key) as [string, Buffer];
  return { columns: unpackColumns(row[1]), texts: row[0] };
}

/** Whether the stored facts of `key` describe `registers` as they are now (their data not read). */
export function storedFactsFresh(db: Database, key: string, registers: string[]): boolean {
  if (!tableExists(db, INDICATOR_FACTS_TABLE)) return false;
  let row: unknown[] | undefined;
  try {
    row = db.prepare(`SELECT format, import_id, max_rowids FROM ${INDICATOR_FACTS_TABLE} WHERE key = ?`).raw().get(key) as unknown[] | undefined;
  } catch {
    return false; // a table of another format
  }
  if (!row || row[0] !== FORMAT || row[2] !== rowidsOf(db, registers)) return false;
  if (!tableExists(db, 'imports')) return true;
  const changed = db
    .prepare(`SELECT 1 FROM imports WHERE id > ? AND register IN (${registers.map(() => '?').join(', ')}) AND (inserted > 0 OR updated > 0) LIMIT 1`)
    .get(row[1], ...registers);
  return !changed;
}

/**
 * Whether there are stored rows and each describes its registers (`registersOf` its key) as they are: what
 * storedFactsFresh says of each, with each register's last rowid and last changing import looked up once.
 */
export function allStoredFactsFresh(db: Database, registersOf: (key: string) => string[]): boolean {
  if (!tableExists(db, INDICATOR_FACTS_TABLE)) return false;
  let rows: [string, unknown, number, string][];
  try {
    rows = db.prepare(`SELECT key, format, import_id, max_rowids FROM ${INDICATOR_FACTS_TABLE}`).raw().all() as typeof rows;
  } catch {
    return false;
  }
  const rowids = new Map<string, number>();
  const rowid = (t: string) => {
    let n = rowids.get(t);
    if (n === undefined) rowids.set(t, (n = maxRowid(db, t)));
    return n;
  };
  const lastChange = tableExists(db, 'imports')
    ? new Map(db.prepare('SELECT register, max(id) FROM imports WHERE inserted > 0 OR updated > 0 GROUP BY register').raw().all() as [string, number][])
    : new Map<string, number>();
  return (
    rows.length > 0 &&
    rows.every(([key, format, importId, maxRowids]) => {
      const registers = registersOf(key);
      return format === FORMAT && maxRowids === JSON.stringify(registers.map(rowid)) && registers.every((r) => !((lastChange.get(r) ?? 0) > importId));
    })
  );
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS ${INDICATOR_FACTS_TABLE} (key TEXT PRIMARY KEY, format INTEGER NOT NULL, import_id INTEGER NOT NULL, max_rowids TEXT NOT NULL, texts TEXT NOT NULL, data BLOB NOT NULL)`;

/** Store the facts of `key`, read from `registers` in the present state (inside the caller's transaction). */
export function writeStoredFacts(db: Database, key: string, registers: string[], facts: StoredFacts): void {
  db.exec(SCHEMA);
  const row = [key, FORMAT, lastImport(db), rowidsOf(db, registers), facts.texts, packColumns(facts.columns)];
  const put = () => db.prepare(`INSERT OR REPLACE INTO ${INDICATOR_FACTS_TABLE} (key, format, import_id, max_rowids, texts, data) VALUES (?, ?, ?, ?, ?, ?)`).run(...row);
  try {
    put();
  } catch (e) {
    if (!/no column|has no column named/.test((e as Error).message)) throw e;
    // A table of another format (its columns differ): made again.
    db.exec(`DROP TABLE ${INDICATOR_FACTS_TABLE}`);
    db.exec(SCHEMA);
    put();
  }
}
