// The import engine: sheets of rows → header and register detection → coercion and row checks → upsert, one transaction per file.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../db.js';
import type { Statement } from 'better-sqlite3';
import { ensureRegisterTables } from '../db.js';
import { GongweiError } from '../errors.js';
import type { Issue } from '../issues.js';
import { version as toolVersionDefault } from '../version.js';
import { getRegister, loadRegisterCatalog, type ColumnDef, type RegisterDef } from './catalog.js';
import { compileCoercer, FAIL, newCtx, parseBloodPressure, type Coercer, type SqlValue } from './coerce.js';
import { todayLocal } from './dates.js';
import { hashEnd, hashFeed, hashStart, hashString } from './hash.js';
import { endRowKind, endRowMarker, findHeaderRow, headerIndex, lookupHeader, isEmptyRow, mapColumns, namedBy, pickRegister, registerNamedIn, rankRegisters, type ColumnMapping } from './headers.js';
import { excelSerial } from './dates.js';
import { openSource, type Cell, type SourceRow } from './source.js';
import { vaccineMapper } from './vaccines.js';
import { KeySet } from './key-set.js';
import { storageFailure } from './storage-errors.js';
import { maybeUnfaithful, unfaithful } from './faithful.js';
import { echoNumber } from './echo.js';

export interface ImportOptions {
  /** Register id or Chinese name; default: detected from the headers. */
  register?: string;
  /** Only this sheet (xlsx). */
  sheet?: string;
  /** CSV encoding (utf-8, gb18030/gbk); default: detected. */
  encoding?: string;
  /** "Today" for the not-in-the-future check (YYYY-MM-DD); default: the local date. */
  today?: string;
  catalog?: RegisterDef[];
  toolVersion?: string;
  /** Called every few thousand rows; `fraction` is the share of the sheet read (0–1). */
  onProgress?: (p: { file: string; sheet: string; rows: number; fraction: number }) => void;
  /** How many row issues to return in the summary (all are stored in the database). */
  maxIssues?: number;
}

export interface ImportSummary {
  file: string;
  sheet?: string;
  register?: string;
  registerName?: string;
  importId?: number;
  encoding?: string;
  headerRow?: number;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  warnings: number;
  /** Headers of the sheet used by no column. */
  ignoredColumns: string[];
  durationMs: number;
  rowsPerSecond: number;
  /** The first row problems (rejections are severity error, warnings warning); all are in the database. */
  issues: Issue[];
  /**
   * A sheet that was not imported, with the reason code: hidden or without a header (a notes sheet), or, in a workbook
   * of several sheets, one whose register could not be identified (`error`: a problem the exit code reports).
   */
  skipped?: { code: string; message: string; hint?: string; error?: boolean };
  /** A fatal problem with the whole file: nothing of it was written. */
  error?: { code: string; message: string; hint?: string };
}

const HEADER_SCAN_ROWS = 30;
/** A signature-line cell of a form: a short label and a colon (填表人：李四, 制表单位：…, 日期：). */
const LABEL_CELL = /^[\u4e00-\u9fa5（）()]{1,8}\s*[:：]/;
const q = (id: string) => `"${id.replace(/"/g, '""')}"`;

/** Import files one after the other; a fatal problem in one file is reported in its summary and the others go on. */
export async function importFiles(db: Database, files: string[], opts: ImportOptions = {}): Promise<ImportSummary[]> {
  const out: ImportSummary[] = [];
  try {
    ensureRegisterTables(db, opts.catalog ?? loadRegisterCatalog());
  } catch (e) {
    const f = storageFailure(e, files.join('、'));
    if (f) throw new GongweiError(f.code, f.message, { hint: f.hint, cause: e });
    throw e;
  }
  for (const f of files) {
    try {
      out.push(...(await importFile(db, f, opts)));
    } catch (e) {
      if (e instanceof GongweiError) {
        out.push({ ...emptySummary(f), error: { code: e.code, message: e.message, hint: e.hint } });
      } else if ((e as Error)?.name === 'SqliteError') {
        // A full disk or an I/O error: this file is rolled back, the ones before stay committed, the next ones are tried.
        const f2 = storageFailure(e, f);
        if (!f2) throw e;
        out.push({ ...emptySummary(f), error: f2 });
      } else {
        // A reader failing on a damaged file: the file is the problem, not the program.
        out.push({ ...emptySummary(f), error: { code: 'REG_FILE_UNREADABLE', message: `无法读取文件（可能已损坏或不完整）：${f}（${(e as Error)?.message ?? String(e)}）` } });
      }
    }
  }
  return out;
}

function emptySummary(file: string): ImportSummary {
  return { file, rowsRead: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, warnings: 0, ignoredColumns: [], durationMs: 0, rowsPerSecond: 0, issues: [] };
}

async function fileDigest(file: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  for await (const b of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(b as Buffer);
  return { sha256: h.digest('hex'), size: statSync(file).size };
}

/** Import one file (every sheet, or opts.sheet) in one transaction. Throws GongweiError for fatal problems; nothing is written then. */
export async function importFile(db: Database, file: string, opts: ImportOptions = {}): Promise<ImportSummary[]> {
  const catalog = opts.catalog ?? loadRegisterCatalog();
  const source = await openSource(file, { encoding: opts.encoding });
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
  // CSV: hashed while it is read (the imports rows get the sha256 before COMMIT); xlsx: a separate pass.
  // A file imported before (same path and size) is hashed first: if nothing changed it need not be read again.
  const size = statSync(file).size;
  const seenBefore = !!db.prepare('SELECT 1 FROM imports WHERE file = ? AND size = ? LIMIT 1').get(path.resolve(file), size);
  const digest = source.streamedDigest && !seenBefore ? { sha256: '', size } : await fileDigest(file);
  if (seenBefore) {
    const replay = replayUnchanged(db, file, digest, { ...opts, encoding: source.encoding });
    if (replay) return replay;
  }
  const results: ImportSummary[] = [];
  // Natural keys seen in this file, per register, across its sheets: the same key on two sheets is a duplicate too.
  const keys = { sets: new Map<string, KeySet>(), sheets: sheets.map((s) => s.name) };
  // A bigger page cache for the one large transaction (bounded: 32 MB).
  db.pragma('cache_size = -32768');
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const sheet of sheets) {
      if (sheet.hidden && !opts.sheet) {
        results.push({ ...emptySummary(file), sheet: sheet.name, skipped: { code: 'REG_SHEET_HIDDEN', message: `隐藏的工作表「${sheet.name}」未导入` } });
        continue;
      }
      const single = sheets.filter((s) => !s.hidden || opts.sheet).length === 1;
      const r = await importSheet(db, file, sheet.name, sheet.rows(), sheet.progress, { ...opts, catalog, forced, single, digest, date1904: source.date1904, encoding: source.encoding, delimiter: source.delimiter, keys });
      results.push(r);
    }
    if (source.streamedDigest && !digest.sha256) {
      // Every sheet is read to its end (rows below a 合计 row are checked too), so the streamed hash is complete.
      const sha = source.streamedDigest();
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

/**
 * Re-importing the file that was last imported into its registers (same path, size, sha256, options, tool version)
 * cannot change anything: record the import with every row unchanged (rejected rows again as rejected, copied with
 * their reasons) without reading the file. Any later import into one of those registers disables this.
 */
function replayUnchanged(db: Database, file: string, digest: { sha256: string; size: number }, opts: ImportOptions): ImportSummary[] | undefined {
  const started = Date.now();
  const abs = path.resolve(file);
  const rows = db.prepare('SELECT * FROM imports WHERE file = ? AND sha256 = ? AND size = ? AND finished_at IS NOT NULL ORDER BY id DESC').all(abs, digest.sha256, digest.size) as ImportRow[];
  if (!rows.length) return undefined;
  // The sheets of one import run have consecutive ids, each sheet once (an earlier run of the same file may come just before).
  const batch = [rows[0]!];
  for (const r of rows.slice(1)) {
    if (r.id !== batch[batch.length - 1]!.id - 1 || batch.some((b) => b.sheet === r.sheet)) break;
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

interface SheetContext extends ImportOptions {
  catalog: RegisterDef[];
  forced?: RegisterDef;
  single: boolean;
  digest: { sha256: string; size: number };
  date1904: boolean;
  encoding?: string;
  delimiter?: string;
  keys: { sets: Map<string, KeySet>; sheets: string[] };
}

function cellText(c: Cell): string {
  return c === null || c === undefined ? '' : String(c);
}

async function importSheet(db: Database, file: string, sheetName: string, rows: AsyncIterable<SourceRow[]>, progress: () => number, o: SheetContext): Promise<ImportSummary> {
  const started = Date.now();
  const summary: ImportSummary = { ...emptySummary(file), sheet: sheetName, encoding: o.encoding };
  const idx = headerIndex(o.catalog);
  const it = rows[Symbol.asyncIterator]();
  // 1. Buffer the first rows and find the header.
  const head: SourceRow[] = [];
  let rest: SourceRow[] = [];
  while (head.length < HEADER_SCAN_ROWS) {
    const n = await it.next();
    if (n.done) break;
    const b = n.value;
    let i = 0;
    for (; i < b.length && head.length < HEADER_SCAN_ROWS; i++) if (!isEmptyRow(b[i]!.cells)) head.push({ ...b[i]!, cells: b[i]!.cells.slice() });
    if (i < b.length) rest = b.slice(i);
  }
  const found = findHeaderRow(idx, head.map((r) => r.cells), o.forced?.id);
  const where = o.single ? file : `${file} 工作表「${sheetName}」`;
  if (!found) {
    const message = head.length === 0 ? `${where} 是空的，没有表头和数据` : `${where} 找不到表头（前 ${head.length} 行没有可识别的列名）`;
    if (!o.single && !o.sheet) {
      summary.skipped = { code: 'REG_NO_HEADER', message };
      return summary;
    }
    const csvNote = o.encoding && head.length ? `（已按 ${o.encoding} 编码、${o.delimiter === '\t' ? '制表符' : o.delimiter === ';' ? '分号（;）' : '逗号'}分隔读取；编码不对时用 --encoding gbk 或 --encoding utf-8 指定；分隔符按前 50 行中最多的逗号、制表符或分号（;）判断）` : '';
    throw new GongweiError(head.length === 0 ? 'REG_SHEET_EMPTY' : 'REG_NO_HEADER', message, {
      hint: `表头应包含登记表的列名，例如 档案编号、姓名、随访日期；用 gongwei registers describe <登记表> 查看可用列名。${csvNote}`,
    });
  }
  summary.headerRow = head[found.at]!.row;
  const context = [...head.slice(0, found.at).flatMap((r) => r.cells.map(cellText)), sheetName, path.basename(file)].join(' ');
  // 2. Which register.
  let reg = o.forced ?? registerNamedIn(context, o.catalog);
  // A sheet that cannot be identified fails the file when it is the only one (or the one asked for with --sheet);
  // in a workbook of several sheets it is skipped with its error, and the other sheets are imported.
  const refuse = (code: string, message: string, hint?: string): ImportSummary => {
    if (o.single || o.sheet) throw new GongweiError(code, message, { hint });
    summary.skipped = { code, message, hint, error: true };
    return summary;
  };
  if (!reg) {
    const ranked = rankRegisters(idx, o.catalog, found.cells, context);
    const unknown = found.cells.filter((c) => c !== null && cellText(c).trim() !== '' && lookupHeader(idx, c).length === 0).map(cellText);
    const pick = pickRegister(ranked, o.catalog);
    if (!pick) {
      const best = ranked.slice(0, 3).map((c) => `${c.id}（${c.name}，缺少 ${c.missingKeys.join('、')}）`).join('；');
      return refuse('REG_UNKNOWN_REGISTER', `${where} 的表头对应不上任何登记表`,
        `${best ? `最接近：${best}。` : ''}${unknown.length ? `不认识的列：${unknown.slice(0, 12).join('、')}。` : ''}可用 --register 指定登记表。`);
    }
    if ('tied' in pick) {
      return refuse('REG_REGISTER_AMBIGUOUS', `${where} 可能是多个登记表之一：${pick.tied.map((c) => `${c.id}（${c.name}）`).join('、')}`,
        `请用 --register 指定：${namedBy(pick.tied, o.catalog, found.cells.map(cellText).join(' ')).map((c) => `--register ${c.id}（${c.name}）`).join(' 或 ')}；或在标题行写明登记表名称。`);
    }
    reg = getRegister(pick.id, o.catalog)!;
  }
  const mapping = mapColumns(idx, reg, found.cells);
  const missingKeys = reg.naturalKey.filter((k) => {
    const i = reg!.columns.findIndex((c) => c.name === k);
    return mapping.sourceIndex[i] === -1 && !mapping.combined.some((cb) => cb.into.includes(i));
  });
  if (missingKeys.length) {
    const headers = missingKeys.map((k) => reg!.columns.find((c) => c.name === k)!.header);
    return refuse('REG_KEY_COLUMNS_MISSING', `${where} 缺少登记表「${reg.name}」的关键列：${headers.join('、')}`,
      `用 gongwei registers describe ${reg.id} 查看这些列可用的表头写法。`);
  }
  summary.register = reg.id;
  summary.registerName = reg.name;
  summary.ignoredColumns = mapping.ignored;
  // 3. Provenance row first (inside the transaction), then the rows.
  const options = JSON.stringify({ register: o.register ?? null, sheet: o.sheet ?? null, encoding: o.encoding ?? null, date1904: o.date1904 });
  const importId = Number(
    db.prepare('INSERT INTO imports (file, sha256, size, register, sheet, options, started_at, tool_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(path.resolve(file), o.digest.sha256, o.digest.size, reg.id, sheetName, options, new Date(started).toISOString(), o.toolVersion ?? toolVersionDefault).lastInsertRowid,
  );
  summary.importId = importId;
  const writer = new RowWriter(db, reg, mapping, importId, file, sheetName, o, summary);
  const dataStart = found.at + found.span;
  for (let i = dataStart; i < head.length; i++) writer.row(head[i]!);
  for (let i = 0; i < rest.length; i++) writer.row(rest[i]!);
  let lastProgress = 0;
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    const b = r.value;
    for (let i = 0; i < b.length; i++) writer.row(b[i]!);
    if (o.onProgress && summary.rowsRead - lastProgress >= 5000) {
      lastProgress = summary.rowsRead;
      o.onProgress({ file, sheet: sheetName, rows: summary.rowsRead, fraction: progress() });
    }
  }
  summary.durationMs = Date.now() - started;
  summary.rowsPerSecond = summary.durationMs > 0 ? Math.round((summary.rowsRead * 1000) / summary.durationMs) : summary.rowsRead;
  db.prepare('UPDATE imports SET rows_read=?, inserted=?, updated=?, unchanged=?, rejected=?, warnings=?, finished_at=? WHERE id=?')
    .run(summary.rowsRead, summary.inserted, summary.updated, summary.unchanged, summary.rejected, summary.warnings, new Date().toISOString(), importId);
  return summary;
}


/** The zero-padded text a `0000`-style number format shows for a non-negative integer cell, if it has one. */
function paddedText(r: SourceRow, col: number, v: number): string | undefined {
  if (!Number.isInteger(v) || v < 0 || v >= 1e15) return undefined;
  for (const p of r.padded!) if (p.col === col) return String(v).padStart(p.width, '0');
  return undefined;
}

interface RowProblem {
  column?: string;
  code: string;
  message: string;
}

/** Per-sheet state: compiled coercers, prepared statements, counters. `row()` returns true at an end row (合计/说明). */
class RowWriter {
  private readonly cols: ColumnDef[];
  private readonly coercers: (Coercer | undefined)[];
  private readonly values: SqlValue[];
  private readonly keyIdx: number[];
  private readonly select: Statement<unknown[]>;
  private readonly insert: Statement<unknown[]>;
  private readonly update: Statement<unknown[]>;
  private readonly touchRaw: Statement<unknown[]>;
  private readonly rejectStmt: Statement<unknown[]>;
  private readonly warnStmt: Statement<unknown[]>;
  private readonly ctx;
  private readonly errors: RowProblem[] = [];
  private readonly warns: RowProblem[] = [];
  /** Keys seen in this file (shared by its sheets of the same register), and this sheet's number among them. */
  private readonly seen: KeySet;
  private readonly sheetNo: number;
  private readonly sheetNames: string[];
  private readonly encoding?: string;
  private readonly seed: number;
  private readonly today: string;
  private readonly birthIdx: number;
  private readonly idIdx: number;
  private readonly rawCol: number;
  private readonly doseIdx: number;
  private readonly sbpIdx: number;
  private readonly dbpIdx: number;
  private readonly maxIssues: number;
  private readonly writeParams: SqlValue[];
  private readonly mapped: number[];
  /** The row number of the 合计/说明 row that ended the data (0 while in the data), and its text. */
  private endRow = 0;
  private endText = '';

  constructor(
    db: Database,
    private readonly reg: RegisterDef,
    private readonly m: ColumnMapping,
    private readonly importId: number,
    private readonly file: string,
    private readonly sheet: string,
    o: SheetContext,
    private readonly s: ImportSummary,
  ) {
    this.cols = reg.columns;
    this.seen = o.keys.sets.get(reg.id) ?? new KeySet();
    o.keys.sets.set(reg.id, this.seen);
    this.sheetNo = Math.max(0, o.keys.sheets.indexOf(sheet));
    this.sheetNames = o.keys.sheets;
    this.encoding = o.encoding;
    const vac = vaccineMapper();
    this.coercers = this.cols.map((c) => (c.derived ? undefined : compileCoercer(c, vac)));
    this.values = this.cols.map(() => null);
    this.writeParams = new Array(this.cols.length + 3).fill(null);
    this.keyIdx = reg.naturalKey.map((k) => this.cols.findIndex((c) => c.name === k));
    this.ctx = newCtx(o.date1904);
    this.seed = hashString(`${o.toolVersion ?? toolVersionDefault}|${reg.id}|${o.date1904 ? 1904 : 1900}|${reg.columns.map((c) => c.name).join(',')}`);
    this.today = o.today ?? todayLocal();
    this.birthIdx = this.cols.findIndex((c) => c.name === 'birth_date');
    this.idIdx = this.cols.findIndex((c) => c.type === 'id_number');
    const vcol = this.cols.find((c) => c.type === 'vaccine');
    this.rawCol = vcol?.rawColumn ? this.cols.findIndex((c) => c.name === vcol.rawColumn) : -1;
    this.doseIdx = vcol ? this.cols.findIndex((c) => c.name === 'dose') : -1;
    this.sbpIdx = this.cols.findIndex((c) => c.name === 'sbp');
    this.dbpIdx = this.cols.findIndex((c) => c.name === 'dbp');
    this.maxIssues = o.maxIssues ?? 200;
    this.mapped = m.sourceIndex.filter((i) => i >= 0).concat(m.combined.map((c) => c.index));
    const t = q(reg.id);
    const names = this.cols.map((c) => q(c.name));
    this.select = db.prepare(`SELECT rowid, _row_hash, _raw_hash FROM ${t} WHERE ${this.keyIdx.map((i) => `${names[i]} = ?`).join(' AND ')}`).raw(true);
    this.insert = db.prepare(`INSERT INTO ${t} (${names.join(', ')}, _import_id, _row_hash, _raw_hash) VALUES (${names.map(() => '?').join(', ')}, ?, ?, ?)`);
    this.update = db.prepare(`UPDATE ${t} SET ${names.map((n) => `${n} = ?`).join(', ')}, _import_id = ?, _row_hash = ?, _raw_hash = ? WHERE rowid = ?`);
    this.touchRaw = db.prepare(`UPDATE ${t} SET _raw_hash = ? WHERE rowid = ?`);
    this.rejectStmt = db.prepare('INSERT INTO rejected_rows (import_id, file, sheet, "row", "column", code, message, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.warnStmt = db.prepare('INSERT INTO row_warnings (import_id, register, natural_key, file, sheet, "row", "column", code, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  }

  private header(colIdx: number): string {
    const src = this.m.sourceIndex[colIdx]!;
    if (src >= 0) return this.m.headers[src]!;
    const cb = this.m.combined.find((c) => c.into.includes(colIdx));
    return cb ? cb.header : this.cols[colIdx]!.header;
  }

  private issue(p: RowProblem, row: number, severity: 'error' | 'warning'): void {
    if (this.s.issues.length < this.maxIssues) {
      this.s.issues.push({ code: p.code, severity, message: p.message, file: this.file, sheet: this.sheet, row, column: p.column });
    }
  }

  /** Process one source row (data, a 小计 row, the 合计/说明 row that ends the data, or a row below it). */
  row(r: SourceRow): void {
    const cells = r.cells;
    if (isEmptyRow(cells)) return;
    if (this.endRow) return this.belowEnd(r);
    const kind = endRowKind(cells);
    if (kind === 'subtotal') return;
    if (kind) {
      this.endRow = r.row;
      // The marker only (合计, 填表人): the rest of the cell may be a phone number or a name.
      this.endText = endRowMarker(cells)?.marker ?? '';
      return;
    }
    this.dataRow(r);
  }

  /**
   * Below the 合计/说明 row nothing is data, but no row there is dropped unseen: a row with values in the register's
   * columns (rows appended under the 合计 row of a hand-kept register, a summary block) is counted and rejected with
   * REG_ROW_AFTER_END and its own problems, so the misplaced 合计 row shows up and `registers rejects` gives the rows
   * back. Rows whose shape says they are not records are skipped: more marker rows, a note alone in its row, and
   * signature lines (every cell a label：value such as 填表人：李四).
   */
  private belowEnd(r: SourceRow): void {
    const cells = r.cells;
    if (endRowKind(cells)) return;
    let filled = 0;
    let labels = 0;
    for (const v of cells) {
      if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) continue;
      filled++;
      if (typeof v === 'string' && LABEL_CELL.test(v.trim())) labels++;
    }
    let mapped = 0;
    for (const i of this.mapped) {
      const v = cells[i];
      if (v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '')) mapped++;
    }
    if (filled < 2 || labels === filled || mapped === 0) return;
    this.s.rowsRead++;
    this.coerceAll(cells, r);
    this.warns.length = 0;
    this.errors.unshift({
      code: 'REG_ROW_AFTER_END',
      message: `在第${this.endRow}行「${this.endText}」之后，不作为数据导入；如果这是数据，请删除或移走第${this.endRow}行后重新导入`,
    });
    this.reject(r);
  }

  private dataRow(r: SourceRow): void {
    const cells = r.cells;
    this.s.rowsRead++;
    // Raw hash of the mapped cells: the fast path for unchanged rows.
    hashStart(this.seed);
    for (const i of this.mapped) hashFeed(cells[i] ?? null);
    if (r.unreadable) hashFeed('\u0000unreadable'); // an empty cell and a formula without its value are not the same
    const rawHash = hashEnd();
    // Key columns first.
    const key = this.coerceKey(cells, r);
    let firstHit: [number, number, number] | undefined;
    let looked = false;
    if (key !== undefined && this.seen.get(key) === 0) {
      const hit = (firstHit = this.select.get(this.keyParams()) as [number, number, number] | undefined);
      looked = true;
      if (hit && hit[2] === rawHash) {
        this.seen.add(key, r.row, this.sheetNo);
        this.s.unchanged++;
        return;
      }
    }
    this.coerceAll(cells, r);
    if (cells.length > this.m.headers.length) {
      for (let i = this.m.headers.length; i < cells.length; i++) {
        const v = cells[i];
        if (v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '')) {
          this.warns.push({ column: `列${i + 1}`, code: 'REG_EXTRA_CELLS', message: `第${i + 1}列没有表头，其中的值未导入` });
          break;
        }
      }
    }
    if (this.errors.length) {
      this.reject(r);
      return;
    }
    const k = key ?? this.keyString();
    hashStart(this.seed);
    for (let i = 0; i < this.values.length; i++) hashFeed(this.values[i]);
    const rowHash = hashEnd();
    // The key read by coerceKey is the key coerceAll read: reuse the lookup.
    const hit = looked && key === k ? firstHit : (this.select.get(this.keyParams()) as [number, number, number] | undefined);
    const first = looked && key === k ? 0 : this.seen.get(k);
    if (first !== 0 && hit) {
      const where = this.seen.foundSheet === this.sheetNo ? `第${first}行` : `工作表「${this.sheetNames[this.seen.foundSheet]}」第${first}行`;
      if (hit[1] === rowHash) {
        this.warns.push({ code: 'REG_DUPLICATE_ROW', message: `与${where}完全相同（自然键重复），按未变处理` });
        this.s.unchanged++;
        this.flushWarnings(r);
        return;
      }
      // Last wins, as between files: the later row replaces the earlier one (counted as updated), and says so.
      this.warns.push({ code: 'REG_DUPLICATE_KEY', message: `与${where}的${this.reg.naturalKey.map((n) => this.header(this.cols.findIndex((c) => c.name === n))).join('+')}相同但内容不同，以后出现的本行为准（${where}的内容被替换）` });
    } else this.seen.add(k, r.row, this.sheetNo);
    const p = this.writeParams;
    for (let i = 0; i < this.values.length; i++) p[i] = this.values[i]!;
    const n = this.values.length;
    p[n] = this.importId;
    p[n + 1] = rowHash;
    p[n + 2] = rawHash;
    if (!hit) {
      this.insert.run(p);
      this.s.inserted++;
    } else if (hit[1] === rowHash) {
      this.touchRaw.run(rawHash, hit[0]);
      this.s.unchanged++;
      this.warns.length = 0; // the row's warnings were recorded when it was written
      return;
    } else {
      p.push(hit[0]);
      this.update.run(p);
      p.length = n + 3;
      this.s.updated++;
    }
    this.flushWarnings(r);
    return;
  }

  private keyParams(): SqlValue[] {
    return this.keyIdx.map((i) => this.values[i]!);
  }

  private keyString(): string {
    let s = '';
    for (const i of this.keyIdx) s += `${this.values[i]}\u0001`;
    return s;
  }

  /** Coerce only the key columns into `values`; undefined when a key cannot be read (the full pass reports it). */
  private coerceKey(cells: Cell[], r: SourceRow): string | undefined {
    const ctx = this.ctx;
    for (const i of this.keyIdx) {
      const v = this.cellFor(i, cells, r);
      if (v === null) return undefined;
      const c = this.coercers[i]!(v, ctx);
      if (c === FAIL || c === null) return undefined;
      this.values[i] = c;
    }
    ctx.warnCode = '';
    return this.keyString();
  }

  private cellFor(i: number, cells: Cell[], r: SourceRow): Exclude<Cell, null> | null {
    const src = this.m.sourceIndex[i]!;
    if (src < 0) return null;
    let v = cells[src];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') {
      if (v.length === 0) return null;
      if (v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32 || v.charCodeAt(0) === 0x3000) {
        v = v.trim();
        if (!v) return null;
      }
    } else if (typeof v === 'number') {
      if (r.dateCols && r.dateCols.includes(src)) {
        const t = this.cols[i]!.type;
        if (t !== 'date' && t !== 'datetime') {
          // A date-formatted cell in a text column: keep what the user saw.
          const d = excelSerial(v, this.ctx.date1904);
          if (d) return d.date;
        }
      } else if (r.padded && this.cols[i]!.type === 'text') {
        // A code shown as 0012 by a `0000` number format: keep what the user saw.
        const p = paddedText(r, src, v);
        if (p !== undefined) return p;
      }
    }
    return v;
  }

  private coerceAll(cells: Cell[], r: SourceRow): void {
    const ctx = this.ctx;
    const vals = this.values;
    this.errors.length = 0;
    this.warns.length = 0;
    ctx.idBirth = ctx.vaccineDose = ctx.vaccineName = undefined;
    for (let i = 0; i < vals.length; i++) {
      const co = this.coercers[i];
      if (!co) {
        vals[i] = null;
        continue;
      }
      const src = this.m.sourceIndex[i]!;
      if (src >= 0 && maybeUnfaithful(r, src)) {
        const p = unfaithful(r, src, this.encoding);
        if (p) {
          vals[i] = null;
          this.errors.push({ column: this.header(i), code: p.code, message: `「${this.header(i)}」${p.message}` });
          continue;
        }
      }
      const v = this.cellFor(i, cells, r);
      if (v === null) {
        vals[i] = null;
        continue;
      }
      ctx.warnCode = '';
      const c = co(v, ctx);
      if (c === FAIL) {
        vals[i] = null;
        this.errors.push({ column: this.header(i), code: ctx.code, message: `「${this.header(i)}」${ctx.message}` });
      } else vals[i] = c;
      if (ctx.warnCode) this.warns.push({ column: this.header(i), code: ctx.warnCode, message: `「${this.header(i)}」${ctx.warnMessage}` });
    }
    for (const cb of this.m.combined) {
      const p = maybeUnfaithful(r, cb.index) ? unfaithful(r, cb.index, this.encoding) : undefined;
      if (p) {
        this.errors.push({ column: cb.header, code: p.code, message: `「${cb.header}」${p.message}` });
        continue;
      }
      const v = cells[cb.index];
      if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) continue;
      const bp = parseBloodPressure(v);
      if (!bp) this.errors.push({ column: cb.header, code: 'REG_BAD_BLOOD_PRESSURE', message: `「${cb.header}」应写成 收缩压/舒张压，如 135/85` });
      else {
        vals[cb.into[0]] = bp[0];
        vals[cb.into[1]] = bp[1];
      }
    }
    if (this.rawCol >= 0) vals[this.rawCol] = ctx.vaccineName ?? null;
    if (this.doseIdx >= 0 && vals[this.doseIdx] === null && ctx.vaccineDose !== undefined) vals[this.doseIdx] = ctx.vaccineDose;
    this.checkRow();
  }

  private checkRow(): void {
    const vals = this.values;
    const cols = this.cols;
    // Birth date from the ID number, and the two compared.
    if (this.birthIdx >= 0 && this.ctx.idBirth) {
      const b = vals[this.birthIdx];
      if (b === null && cols[this.birthIdx]!.fromIdNumber) vals[this.birthIdx] = this.ctx.idBirth;
      else if (b !== null && b !== this.ctx.idBirth) {
        this.warns.push({ column: this.header(this.birthIdx), code: 'REG_ID_BIRTH_MISMATCH', message: `「${this.header(this.birthIdx)}」与身份证号中的出生日期不一致，请核对` });
      }
    }
    const birth = this.birthIdx >= 0 ? (vals[this.birthIdx] as string | null) : null;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i]!;
      const v = vals[i];
      if (v === null) {
        if (c.required && !this.errors.some((e) => e.column === this.header(i))) {
          this.errors.push({ column: this.header(i), code: 'REG_REQUIRED_MISSING', message: `缺少必填项「${this.header(i)}」` });
        }
        continue;
      }
      if (typeof v === 'number') {
        if ((c.hardMin !== undefined && v < c.hardMin) || (c.hardMax !== undefined && v > c.hardMax)) {
          this.errors.push({ column: this.header(i), code: 'REG_VALUE_IMPOSSIBLE', message: `「${this.header(i)}」的值 ${echoNumber(v)} 不可能（应在 ${c.hardMin ?? '-∞'}～${c.hardMax ?? '∞'} 之间）` });
        } else if ((c.min !== undefined && v < c.min) || (c.max !== undefined && v > c.max)) {
          this.warns.push({ column: this.header(i), code: 'REG_VALUE_UNLIKELY', message: `「${this.header(i)}」的值 ${echoNumber(v)} 超出常见范围（${c.min ?? ''}～${c.max ?? ''}），请核对` });
        }
      } else if (c.type === 'date' || c.type === 'datetime') {
        const d = (v as string).slice(0, 10);
        if (!c.future && d > this.today) {
          this.errors.push({ column: this.header(i), code: 'REG_DATE_FUTURE', message: `「${this.header(i)}」${d} 晚于今天` });
        } else if (c.afterBirth && birth && d < birth) {
          this.errors.push({ column: this.header(i), code: 'REG_DATE_BEFORE_BIRTH', message: `「${this.header(i)}」${d} 早于出生日期 ${birth}` });
        }
      }
    }
    if (this.sbpIdx >= 0 && this.dbpIdx >= 0) {
      const sbp = vals[this.sbpIdx] as number | null;
      const dbp = vals[this.dbpIdx] as number | null;
      if ((sbp === null) !== (dbp === null)) {
        this.warns.push({ column: this.header(sbp === null ? this.sbpIdx : this.dbpIdx), code: 'REG_BP_INCOMPLETE', message: '血压只填了收缩压或舒张压中的一个' });
      } else if (sbp !== null && dbp !== null && sbp <= dbp) {
        this.warns.push({ column: this.header(this.sbpIdx), code: 'REG_BP_INVERTED', message: `收缩压 ${echoNumber(sbp)} 不高于舒张压 ${echoNumber(dbp)}，可能填反了` });
      }
    }
  }

  private reject(r: SourceRow): void {
    this.s.rejected++;
    const raw: Record<string, Cell> = {};
    const h = this.m.headers;
    for (let i = 0; i < Math.max(h.length, r.cells.length); i++) {
      let v = r.cells[i] ?? null;
      if (typeof v === 'number' && r.dateCols?.includes(i)) v = excelSerial(v, this.ctx.date1904)?.date ?? v;
      else if (typeof v === 'number' && r.padded) v = paddedText(r, i, v) ?? v;
      if (i < h.length) raw[h[i]!] = v;
      else if (v !== null && v !== '') raw[`列${i + 1}`] = v;
    }
    const json = JSON.stringify(raw);
    for (const e of this.errors) {
      this.rejectStmt.run(this.importId, this.file, this.sheet, r.row, e.column ?? null, e.code, e.message, json);
      this.issue(e, r.row, 'error');
    }
    this.errors.length = 0;
    this.warns.length = 0;
  }

  private flushWarnings(r: SourceRow): void {
    if (!this.warns.length) return;
    const key = JSON.stringify(Object.fromEntries(this.keyIdx.map((i) => [this.cols[i]!.name, this.values[i]])));
    for (const w of this.warns) {
      this.warnStmt.run(this.importId, this.reg.id, key, this.file, this.sheet, r.row, w.column ?? null, w.code, w.message);
      this.issue(w, r.row, 'warning');
      this.s.warnings++;
    }
    this.warns.length = 0;
  }
}
