// The import engine: a file's sheets imported in one transaction (nothing written on a fatal problem); an unchanged file is replayed.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { checkDatabase, type Database } from '../db.js';
import { storageReason } from '../storage-errors.js';
import { ensureRegisterTables } from './tables.js';
import { GongweiError } from '../errors.js';
import { getRegister, loadRegisterCatalog } from '../catalog/registers.js';
import { emptySummary, type FileKeys, type ImportOptions, type ImportSummary } from './import-summary.js';
import { importSheet } from './import-sheet.js';
import { replayCandidate, replayUnchanged } from './replay.js';
import { openImportSource, type PreparingSource } from './prepare-thread.js';
import { refreshChildDoses } from './child-doses.js';
import { releaseMemory } from '../release-memory.js';

export type { ImportOptions, ImportSummary } from './import-summary.js';

/** SQLite's page cache for the one large transaction, in KB (GONGWEI_CACHE_KB overrides, for measurements; 8 MB: as fast as 16 or 32 MB, measured, and it keeps a 1M-row import with the preparing thread under 200 MB). */
const CACHE_KB = Number(process.env.GONGWEI_CACHE_KB ?? 8192);

const KEPT = '数据库保持导入这个文件之前的样子';
const RERUN = '重新运行同一命令即可：已导入的文件按“未变”计，未导入的接着导入。';

/** A failure from the machine (disk full, I/O error, read-only or damaged database) while importing `file`, in the user's words. */
function storageFailure(e: unknown, file: string): { code: string; message: string; hint?: string } | undefined {
  const r = storageReason(e);
  if (!r) return undefined;
  if (r.code === 'DB_READONLY' || r.code === 'FILE_READONLY') return { code: r.code, message: `数据库${r.words}，未能导入：${file}`, hint: r.hint };
  return { code: r.code, message: `${r.words}，未能导入：${file}（${KEPT}）`, hint: `${r.hint ?? ''}${r.code.startsWith('DB_CORRUPT') ? '' : RERUN}` };
}

/**
 * Import files one after the other; a fatal problem in one file is reported in its summary and the others go on.
 * A damaged database is refused before any row is written (PRAGMA quick_check: DB_CORRUPT, for the whole command). The
 * check runs once, before the first file whose rows are read: re-importing unchanged files (replayed) does not pay for it.
 */
export async function importFiles(db: Database, files: string[], opts: ImportOptions = {}): Promise<ImportSummary[]> {
  const out: ImportSummary[] = [];
  let checked = false;
  const beforeWrite = (): void => {
    if (checked) return;
    checkDatabase(db, db.name);
    checked = true;
  };
  try {
    ensureRegisterTables(db, opts.catalog ?? loadRegisterCatalog());
  } catch (e) {
    const f = storageFailure(e, files.join('、'));
    if (f) throw new GongweiError(f.code, f.message, { hint: f.hint, cause: e });
    throw e;
  }
  for (const f of files) {
    try {
      out.push(...(await importFile(db, f, { ...opts, beforeWrite })));
    } catch (e) {
      if (e instanceof GongweiError && e.code === 'DB_CORRUPT') throw e; // quick_check: no file can be imported
      if (e instanceof GongweiError) {
        out.push({ ...emptySummary(f), error: { code: e.code, message: e.message, hint: e.hint } });
        continue;
      }
      // A full disk, an I/O error or a damaged database: this file is rolled back, the ones before stay committed, the next ones are tried.
      const failure = storageFailure(e, f);
      if (failure) out.push({ ...emptySummary(f), error: failure });
      else if ((e as Error)?.name === 'SqliteError') throw e;
      // A reader failing on a damaged file: the file is the problem, not the program.
      else out.push({ ...emptySummary(f), error: { code: 'REG_FILE_UNREADABLE', message: `无法读取文件（可能已损坏或不完整）：${f}（${(e as Error)?.message ?? String(e)}）` } });
    }
  }
  return out;
}

async function fileDigest(file: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  for await (const b of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(b as Buffer);
  return { sha256: h.digest('hex'), size: statSync(file).size };
}

/** Import one file (every sheet, or opts.sheet) in one transaction. Throws GongweiError for fatal problems; nothing is written then. */
export async function importFile(db: Database, file: string, opts: ImportOptions = {}): Promise<ImportSummary[]> {
  const source = await openImportSource(file, { encoding: opts.encoding });
  let open = true;
  const close = (): void => {
    if (open) source.close?.();
    open = false;
  };
  try {
    return await importSource(db, file, source, opts, close);
  } finally {
    close();
  }
}

/** `close`: the file is read to its end; the reader's memory (an xlsx's shared strings) is freed before the end-of-import work. */
async function importSource(db: Database, file: string, source: PreparingSource, opts: ImportOptions, close: () => void): Promise<ImportSummary[]> {
  const catalog = opts.catalog ?? loadRegisterCatalog();
  const forced = opts.register ? getRegister(opts.register, catalog) : undefined;
  if (opts.register && !forced) {
    throw new GongweiError('REG_REGISTER_NOT_FOUND', `没有这个登记表：${opts.register}`, { hint: `可用：${catalog.map((r) => `${r.id}（${r.name}）`).join('、')}` });
  }
  let sheets = source.sheets;
  if (opts.sheet) {
    sheets = sheets.filter((s) => s.name === opts.sheet);
    if (!sheets.length) {
      throw new GongweiError('REG_SHEET_NOT_FOUND', `工作簿中没有名为「${opts.sheet}」的工作表：${file}`, { hint: `有：${source.sheets.map((s) => s.name).join('、')}` });
    }
  }
  // The file is read once: a CSV is hashed while it is parsed (the imports rows get the sha256 before COMMIT). Only a
  // file whose last run could be replayed is hashed first — unchanged, it is then not parsed at all.
  const size = statSync(file).size;
  const candidate = replayCandidate(db, file, size, { ...opts, encoding: source.encoding });
  let digest = { sha256: '', size };
  if (candidate || !source.streamedDigest) digest = await fileDigest(file);
  if (candidate && candidate.sha256 === digest.sha256) return replayUnchanged(db, file, candidate, digest, { ...opts, encoding: source.encoding });
  opts.beforeWrite?.();
  const results: ImportSummary[] = [];
  // Natural keys seen in this file, per register, across its sheets: the same key on two sheets is a duplicate too.
  const keys: FileKeys = { sets: new Map(), sheets: sheets.map((s) => s.name) };
  // A bigger page cache for the one large transaction (bounded: 32 MB).
  db.pragma(`cache_size = -${CACHE_KB}`);
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const sheet of sheets) {
      if (sheet.hidden && !opts.sheet) {
        results.push({ ...emptySummary(file), sheet: sheet.name, skipped: { code: 'REG_SHEET_HIDDEN', message: `隐藏的工作表「${sheet.name}」未导入` } });
        continue;
      }
      const single = sheets.filter((s) => !s.hidden || opts.sheet).length === 1;
      const r = await importSheet(db, file, sheet.name, sheet.rows(), sheet.progress, { ...opts, catalog, forced, single, digest, date1904: source.date1904, encoding: source.encoding, delimiter: source.delimiter, keys, prepare: source.prepare });
      results.push(r);
    }
    if (source.streamedDigest && !digest.sha256) {
      // Every sheet is read to its end (rows below a 合计 row are checked too), so the streamed hash is complete.
      const sha = await source.streamedDigest();
      const ids = results.map((r) => r.importId).filter((x): x is number => x !== undefined);
      for (const id of ids) db.prepare('UPDATE imports SET sha256 = ? WHERE id = ?').run(sha, id);
    }
    if (results.some((r) => r.skipped?.error)) {
      // Re-importing this file must report the refused sheets again: mark its imports so they are never replayed.
      const mark = db.prepare("UPDATE imports SET options = json_set(coalesce(options, '{}'), '$.refusedSheets', ?) WHERE id = ?");
      const n = results.filter((r) => r.skipped?.error).length;
      for (const r of results) if (r.importId !== undefined) mark.run(n, r.importId);
    }
    if (!results.some((r) => r.register)) {
      const refused = results.filter((r) => r.skipped?.error);
      if (refused.length === 1) throw new GongweiError(refused[0]!.skipped!.code, refused[0]!.skipped!.message, { hint: refused[0]!.skipped!.hint });
      throw new GongweiError('REG_NO_DATA_SHEET', `文件中没有可识别的登记表：${file}`, {
        hint: results.map((r) => r.skipped?.message).filter(Boolean).join('；') || undefined,
      });
    }
    // No longer needed: their memory (tens of MB for a million keys, an xlsx's shared strings) is free for the refresh.
    close();
    keys.sets.clear();
    releaseMemory();
    refreshChildDoses(db, keys.doses); // the derived per-child facts of children and vaccinations, for the rows this file touched
    opts.afterImport?.(db);
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // SQLite has already rolled back (after SQLITE_FULL it may): the first error is the one to report.
      }
    }
    throw e;
  }
  return results;
}
