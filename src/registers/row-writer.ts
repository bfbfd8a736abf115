// The row writer: insert, update or reject a prepared row (row-prepare.ts), with its warnings, in the register table.
// Rows come prepared on this thread (row) or from the preparing thread (put): the same steps either way.
import type { Statement } from 'better-sqlite3';
import type { Database } from '../db.js';
import type { ColumnDef, RegisterDef } from '../catalog/registers.js';
import type { SqlValue } from './coerce.js';
import { todayLocal } from './dates.js';
import type { ColumnMapping } from './headers.js';
import type { ImportSummary, SheetContext } from './import-summary.js';
import { KeySet } from './key-set.js';
import { WrittenDoses } from './written-doses.js';
import { columnHeader, emptyPrepared, RowPreparer, type PrepareSettings, type PreparedRow } from './row-prepare.js';
import { eachPrepared, type PreparedBatch } from './prepared-batch.js';
import type { RowProblem } from './row-checks.js';
import type { SourceRow } from './source.js';
import { quoteIdent } from '../sql.js';

/** Per-sheet state: the row preparer of this thread, prepared statements, the file's keys, counters. */
export class RowWriter {
  private readonly cols: ColumnDef[];
  private readonly keyIdx: number[];
  private readonly select: Statement<unknown[]>;
  private readonly insert: Statement<unknown[]>;
  private readonly update: Statement<unknown[]>;
  private readonly touchRaw: Statement<unknown[]>;
  private readonly rejectStmt: Statement<unknown[]>;
  private readonly warnStmt: Statement<unknown[]>;
  /** Keys seen in this file (shared by its sheets of the same register), and this sheet's number among them. */
  private readonly seen: KeySet;
  /** Every row written, when this is the vaccinations register and it was empty at the start (written-doses.ts). */
  private readonly doses: WrittenDoses | undefined;
  private readonly sheetNo: number;
  private readonly sheetNames: string[];
  private readonly maxIssues: number;
  private readonly writeParams: SqlValue[];
  private readonly keyParams: SqlValue[];
  /** What rows are prepared with, here or on another thread. */
  readonly settings: PrepareSettings;
  private readonly prep: RowPreparer;

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
    let seen = o.keys.sets.get(reg.id);
    if (!seen) {
      seen = new KeySet();
      seen.fresh = !db.prepare(`SELECT 1 FROM ${quoteIdent(reg.id)} LIMIT 1`).get();
      o.keys.sets.set(reg.id, seen);
      // A first import into an empty vaccinations register: its rows are kept as written, for the per-child facts.
      if (seen.fresh) o.keys.doses ??= WrittenDoses.of(reg);
    }
    this.seen = seen;
    this.doses = WrittenDoses.keeps(reg) ? o.keys.doses : undefined;
    this.sheetNo = Math.max(0, o.keys.sheets.indexOf(sheet));
    this.sheetNames = o.keys.sheets;
    this.settings = { reg, m, date1904: o.date1904, encoding: o.encoding, today: o.today ?? todayLocal(), toolVersion: o.toolVersion };
    this.prep = new RowPreparer(this.settings);
    this.writeParams = new Array(this.cols.length + 3).fill(null);
    this.keyIdx = this.prep.keyIdx;
    this.keyParams = this.keyIdx.map(() => null);
    this.maxIssues = o.maxIssues ?? 200;
    const t = quoteIdent(reg.id);
    const names = this.cols.map((c) => quoteIdent(c.name));
    this.select = db.prepare(`SELECT rowid, _row_hash, _raw_hash FROM ${t} WHERE ${this.keyIdx.map((i) => `${names[i]} = ?`).join(' AND ')}`).raw(true);
    this.insert = db.prepare(`INSERT INTO ${t} (${names.join(', ')}, _import_id, _row_hash, _raw_hash) VALUES (${names.map(() => '?').join(', ')}, ?, ?, ?)`);
    this.update = db.prepare(`UPDATE ${t} SET ${names.map((n) => `${n} = ?`).join(', ')}, _import_id = ?, _row_hash = ?, _raw_hash = ? WHERE rowid = ?`);
    this.touchRaw = db.prepare(`UPDATE ${t} SET _raw_hash = ? WHERE rowid = ?`);
    this.rejectStmt = db.prepare('INSERT INTO rejected_rows (import_id, file, sheet, "row", "column", code, message, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.warnStmt = db.prepare('INSERT INTO row_warnings (import_id, register, natural_key, file, sheet, "row", "column", code, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  }

  private issue(p: RowProblem, row: number, severity: 'error' | 'warning'): void {
    if (this.s.issues.length < this.maxIssues) {
      this.s.issues.push({ code: p.code, severity, message: p.message, file: this.file, sheet: this.sheet, row, column: p.column });
    }
  }

  /** Process one source row (data, a 小计 row, the 合计/说明 row that ends the data, or a row below it), prepared here. */
  row(r: SourceRow): void {
    const p = this.prep.row(r);
    if (p) this.put(p);
  }

  /** Write the rows of a batch prepared on the other thread (one row object reused for them all). */
  putBatch(b: PreparedBatch): void {
    eachPrepared(b, this.cols.length, this.keyIdx, this.putRow, (this.batchRow ??= emptyPrepared(this.cols.length, this.keyIdx.length)));
  }

  private batchRow: PreparedRow | undefined;
  private readonly putRow = (p: PreparedRow): void => this.put(p);

  /** Write one prepared row; one not `done` is completed by this thread's preparer only if its values are needed. */
  put(p: PreparedRow): void {
    this.s.rowsRead++;
    if (p.afterEnd) {
      this.reject(p);
      return;
    }
    let firstHit: [number, number, number] | undefined;
    let looked = false;
    if (p.hasKey && this.seen.get(p.keyA, p.keyB) === 0) {
      // A first import into an empty table: a key this file has not written is not there.
      const hit = (firstHit = this.seen.fresh ? undefined : (this.select.get(p.keyVals) as [number, number, number] | undefined));
      looked = true;
      if (hit && hit[2] === p.rawHash) {
        this.seen.add(p.keyA, p.keyB, p.row, this.sheetNo);
        this.s.unchanged++;
        return;
      }
    }
    if (!p.done) this.prep.complete(p);
    if (p.errors.length) {
      this.reject(p);
      return;
    }
    const values = p.values;
    const rowHash = p.rowHash;
    // The key read from the key columns is the key of all columns read: reuse the lookup.
    let hit: [number, number, number] | undefined;
    if (looked && p.kSame) hit = firstHit;
    else {
      for (let j = 0; j < this.keyIdx.length; j++) this.keyParams[j] = values[this.keyIdx[j]!]!;
      hit = this.select.get(this.keyParams) as [number, number, number] | undefined;
    }
    const first = looked && p.kSame ? 0 : this.seen.get(p.kA, p.kB);
    if (first !== 0 && hit) {
      const where = this.seen.foundSheet === this.sheetNo ? `第${first}行` : `工作表「${this.sheetNames[this.seen.foundSheet]}」第${first}行`;
      if (hit[1] === rowHash) {
        p.warns.push({ code: 'REG_DUPLICATE_ROW', message: `与${where}完全相同（自然键重复），按未变处理` });
        this.s.unchanged++;
        this.flushWarnings(p);
        return;
      }
      // Last wins, as between files: the later row replaces the earlier one (counted as updated), and says so.
      p.warns.push({ code: 'REG_DUPLICATE_KEY', message: `与${where}的${this.reg.naturalKey.map((n) => columnHeader(this.m, this.cols.findIndex((c) => c.name === n))).join('+')}相同但内容不同，以后出现的本行为准（${where}的内容被替换）` });
    } else this.seen.add(p.kA, p.kB, p.row, this.sheetNo);
    const w = this.writeParams;
    for (let i = 0; i < values.length; i++) w[i] = values[i]!;
    const n = values.length;
    w[n] = this.importId;
    w[n + 1] = rowHash;
    w[n + 2] = p.rawHash;
    if (!hit) {
      const rowid = this.insert.run(w).lastInsertRowid;
      this.doses?.put(Number(rowid), values, this.importId);
      this.s.inserted++;
    } else if (hit[1] === rowHash) {
      this.touchRaw.run(p.rawHash, hit[0]);
      this.s.unchanged++;
      return; // the row's warnings were recorded when it was written
    } else {
      w.push(hit[0]);
      this.update.run(w);
      this.doses?.put(hit[0], values, this.importId);
      w.length = n + 3;
      this.s.updated++;
    }
    this.flushWarnings(p);
  }

  private reject(p: PreparedRow): void {
    this.s.rejected++;
    for (const e of p.errors) {
      this.rejectStmt.run(this.importId, this.file, this.sheet, p.row, e.column ?? null, e.code, e.message, p.raw);
      this.issue(e, p.row, 'error');
    }
  }

  private flushWarnings(p: PreparedRow): void {
    if (!p.warns.length) return;
    const key = JSON.stringify(Object.fromEntries(this.keyIdx.map((i) => [this.cols[i]!.name, p.values[i]])));
    for (const w of p.warns) {
      this.warnStmt.run(this.importId, this.reg.id, key, this.file, this.sheet, p.row, w.column ?? null, w.code, w.message);
      this.issue(w, p.row, 'warning');
      this.s.warnings++;
    }
  }
}
