// Re-importing an unchanged file: record every row as unchanged without reading the file again.
import path from 'node:path';
import type { Database } from '../db.js';
import { version as toolVersionDefault } from '../version.js';
import { loadRegisterCatalog } from '../catalog/registers.js';
import { emptySummary, type ImportOptions, type ImportSummary } from './import-summary.js';

interface ImportRow {
  id: number;
  file: string;
  sha256: string;
  register: string | null;
  sheet: string | null;
  options: string | null;
  rows_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  tool_version: string | null;
}

/** The last run of this file (its imports, one per sheet) when replaying it is possible if the content is unchanged. */
export interface ReplayCandidate { sha256: string; batch: ImportRow[] }

/**
 * Whether re-importing this file could be replayed: its last run (same path and size, finished) used the same options
 * and tool version, refused no sheet, and is still the latest import of each of its registers. Only the sha256 is left
 * to compare, so the caller hashes the file only when this returns a candidate (otherwise it reads the file once, hashing as it parses).
 */
export function replayCandidate(db: Database, file: string, size: number, opts: ImportOptions): ReplayCandidate | undefined {
  const abs = path.resolve(file);
  const rows = db.prepare('SELECT * FROM imports WHERE file = ? AND size = ? AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1000').all(abs, size) as ImportRow[];
  if (!rows.length) return undefined;
  // The sheets of one run have consecutive ids and the same sha256, each sheet once (an earlier run may come just before).
  const batch = [rows[0]!];
  for (const r of rows.slice(1)) {
    if (r.id !== batch[batch.length - 1]!.id - 1 || r.sha256 !== batch[0]!.sha256 || batch.some((b) => b.sheet === r.sheet)) break;
    batch.push(r);
  }
  const want = { register: opts.register ?? null, sheet: opts.sheet ?? null, encoding: opts.encoding ?? null };
  const version = opts.toolVersion ?? toolVersionDefault;
  for (const r of batch) {
    const o = JSON.parse(r.options ?? '{}') as Record<string, unknown>;
    if (o.register !== want.register || o.sheet !== want.sheet || o.encoding !== want.encoding || r.tool_version !== version || !r.register || o.refusedSheets) return undefined;
    const later = db.prepare('SELECT max(id) AS id FROM imports WHERE register = ?').get(r.register) as { id: number };
    if (later.id > batch[0]!.id) return undefined;
  }
  return batch[0]!.sha256 ? { sha256: batch[0]!.sha256, batch } : undefined;
}

/**
 * Re-importing the file that was last imported into its registers, unchanged (the candidate's sha256): nothing can
 * change. Record the import with every row unchanged (rejected rows again as rejected, copied with their reasons)
 * without reading the file.
 */
export function replayUnchanged(db: Database, file: string, candidate: ReplayCandidate, digest: { sha256: string; size: number }, opts: ImportOptions): ImportSummary[] {
  const started = Date.now();
  const abs = path.resolve(file);
  const { batch } = candidate;
  const version = opts.toolVersion ?? toolVersionDefault;
  const now = new Date().toISOString();
  const insert = db.prepare('INSERT INTO imports (file, sha256, size, register, sheet, options, rows_read, inserted, updated, unchanged, rejected, warnings, started_at, finished_at, tool_version) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, 0, ?, ?, ?)');
  const copyRejects = db.prepare('INSERT INTO rejected_rows (import_id, file, sheet, "row", "column", code, message, raw) SELECT ?, file, sheet, "row", "column", code, message, raw FROM rejected_rows WHERE import_id = ?');
  const rejects = db.prepare('SELECT "row", "column", code, message FROM rejected_rows WHERE import_id = ? ORDER BY "row" LIMIT 50');
  const catalog = opts.catalog ?? loadRegisterCatalog();
  const out: ImportSummary[] = [];
  db.transaction(() => {
    for (const r of [...batch].reverse()) {
      const id = Number(insert.run(abs, digest.sha256, digest.size, r.register, r.sheet, r.options, r.rows_read, r.rows_read - r.rejected, r.rejected, now, now, version).lastInsertRowid);
      copyRejects.run(id, r.id);
      const issues = (rejects.all(id) as { row: number; column: string | null; code: string; message: string }[]).map((x) => ({
        code: x.code, severity: 'error' as const, message: x.message, file, sheet: r.sheet ?? undefined, row: x.row, column: x.column ?? undefined,
      }));
      out.push({
        ...emptySummary(file), sheet: r.sheet ?? undefined, register: r.register ?? undefined, registerName: catalog.find((c) => c.id === r.register)?.name,
        importId: id, rowsRead: r.rows_read, unchanged: r.rows_read - r.rejected, rejected: r.rejected, issues,
      });
    }
  })();
  const ms = Date.now() - started;
  for (const o of out) {
    o.durationMs = ms;
    o.rowsPerSecond = ms > 0 ? Math.round((o.rowsRead * 1000) / ms) : o.rowsRead;
  }
  return out;
}
