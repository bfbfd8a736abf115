// The register tables (from the register catalogue, with a UNIQUE index on each natural key) and the import bookkeeping tables.
import type { Database } from '../db.js';
import { loadRegisterCatalog, sqlType, type RegisterDef } from '../catalog/registers.js';
import { quoteIdent } from '../sql.js';

/** CREATE TABLE statement of one register table (canonical columns + _import_id + _row_hash). */
export function registerTableSql(reg: RegisterDef): string {
  const cols = reg.columns.map((c) => `${quoteIdent(c.name)} ${sqlType(c.type)}`);
  cols.push('"_import_id" INTEGER', '"_row_hash" INTEGER', '"_raw_hash" INTEGER');
  return `CREATE TABLE IF NOT EXISTS ${quoteIdent(reg.id)} (${cols.join(', ')})`;
}

const BOOKKEEPING = [
  `CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY, file TEXT NOT NULL, sha256 TEXT, size INTEGER, register TEXT, sheet TEXT,
    options TEXT, rows_read INTEGER NOT NULL DEFAULT 0, inserted INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0, started_at TEXT NOT NULL, finished_at TEXT, tool_version TEXT)`,
  `CREATE TABLE IF NOT EXISTS rejected_rows (
    id INTEGER PRIMARY KEY, import_id INTEGER NOT NULL REFERENCES imports(id), file TEXT, sheet TEXT,
    "row" INTEGER, "column" TEXT, code TEXT NOT NULL, message TEXT NOT NULL, raw TEXT)`,
  'CREATE INDEX IF NOT EXISTS rejected_rows_import ON rejected_rows(import_id, "row")',
  `CREATE TABLE IF NOT EXISTS row_warnings (
    id INTEGER PRIMARY KEY, import_id INTEGER NOT NULL REFERENCES imports(id), register TEXT,
    natural_key TEXT, file TEXT, sheet TEXT, "row" INTEGER, "column" TEXT, code TEXT NOT NULL, message TEXT NOT NULL)`,
  'CREATE INDEX IF NOT EXISTS row_warnings_import ON row_warnings(import_id)',
];

/**
 * Create every register table of the catalogue (UNIQUE index on the natural key), add columns the
 * catalogue gained since the file was made, and create the bookkeeping tables. Idempotent.
 */
export function ensureRegisterTables(db: Database, catalog: RegisterDef[] = loadRegisterCatalog()): void {
  const run = db.transaction(() => {
    for (const reg of catalog) {
      db.exec(registerTableSql(reg));
      const have = new Set((db.prepare(`PRAGMA table_info(${quoteIdent(reg.id)})`).all() as { name: string }[]).map((r) => r.name));
      for (const c of reg.columns) {
        if (!have.has(c.name)) db.exec(`ALTER TABLE ${quoteIdent(reg.id)} ADD COLUMN ${quoteIdent(c.name)} ${sqlType(c.type)}`);
      }
      for (const extra of ['_import_id', '_row_hash', '_raw_hash']) {
        if (!have.has(extra)) db.exec(`ALTER TABLE ${quoteIdent(reg.id)} ADD COLUMN ${quoteIdent(extra)} INTEGER`);
      }
      db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdent(`${reg.id}_natural_key`)} ON ${quoteIdent(reg.id)} (${reg.naturalKey.map(quoteIdent).join(', ')})`);
      for (const cols of reg.indexes ?? []) db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${reg.id}_by_${cols.join('_')}`)} ON ${quoteIdent(reg.id)} (${cols.map(quoteIdent).join(', ')})`);
    }
    for (const sql of BOOKKEEPING) db.exec(sql);
  });
  run.immediate();
}
