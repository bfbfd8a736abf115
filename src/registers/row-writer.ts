// The row writer: coerce a row's cells, check it, and insert, update or reject it (with its warnings) in the register table.
import type { Statement } from 'better-sqlite3';
import type { Database } from '../db.js';
import { version as toolVersionDefault } from '../version.js';
import type { ColumnDef, RegisterDef } from '../catalog/registers.js';
import { compileCoercer, FAIL, newCtx, parseBloodPressure, type Coercer, type SqlValue } from './coerce.js';
import { excelSerial, todayLocal } from './dates.js';
import { hashEnd, hashFeed, hashStart, hashString } from './hash.js';
import { endRowKind, endRowMarker, isEmptyRow, type ColumnMapping } from './headers.js';
import type { ImportSummary, SheetContext } from './import-summary.js';
import { KeySet } from './key-set.js';
import { RowChecks, type RowProblem } from './row-checks.js';
import type { Cell, SourceRow } from './source.js';
import { vaccineMapper } from './vaccines.js';
import { maybeUnfaithful, unfaithful } from './faithful.js';
import { quoteIdent } from '../sql.js';

/** A signature-line cell of a form: a short label and a colon (填表人：李四, 制表单位：…, 日期：). */
const LABEL_CELL = /^[\u4e00-\u9fa5（）()]{1,8}\s*[:：]/;

/** A UTF-8 row in a GB18030/GBK CSV: stored as read (UTF-8, what was typed), and said so. */
const MIXED_UTF8 = '这一行是 UTF-8 编码，而文件的其余部分是 GBK/GB18030（多半是从另一个文件复制进来的）：已按 UTF-8 读出并保存；用 Excel/WPS 打开这个文件时这一行显示为乱码，请核对这一行的内容';

/** The zero-padded text a `0000`-style number format shows for a non-negative integer cell, if it has one. */
function paddedText(r: SourceRow, col: number, v: number): string | undefined {
  if (!Number.isInteger(v) || v < 0 || v >= 1e15) return undefined;
  for (const p of r.padded!) if (p.col === col) return String(v).padStart(p.width, '0');
  return undefined;
}

/** Per-sheet state: compiled coercers, prepared statements, counters. `row()` returns true at an end row (合计/说明). */
export class RowWriter {
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
  private readonly rawCol: number;
  private readonly doseIdx: number;
  private readonly checks: RowChecks;
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
    let seen = o.keys.sets.get(reg.id);
    if (!seen) {
      seen = new KeySet();
      seen.fresh = !db.prepare(`SELECT 1 FROM ${quoteIdent(reg.id)} LIMIT 1`).get();
      o.keys.sets.set(reg.id, seen);
    }
    this.seen = seen;
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
    this.checks = new RowChecks(reg, o.today ?? todayLocal(), (i) => this.header(i));
    const vcol = this.cols.find((c) => c.type === 'vaccine');
    this.rawCol = vcol?.rawColumn ? this.cols.findIndex((c) => c.name === vcol.rawColumn) : -1;
    this.doseIdx = vcol ? this.cols.findIndex((c) => c.name === 'dose') : -1;
    this.maxIssues = o.maxIssues ?? 200;
    this.mapped = m.sourceIndex.filter((i) => i >= 0).concat(m.combined.map((c) => c.index));
    const t = quoteIdent(reg.id);
    const names = this.cols.map((c) => quoteIdent(c.name));
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
      // A first import into an empty table: a key this file has not written is not there.
      const hit = (firstHit = this.seen.fresh ? undefined : (this.select.get(this.keyParams()) as [number, number, number] | undefined));
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
    if (r.utf8Line) this.warns.push({ code: 'REG_MIXED_ENCODING_UTF8', message: MIXED_UTF8 });
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
    this.checks.check(vals, ctx.idBirth, this.errors, this.warns);
  }

  private reject(r: SourceRow): void {
    this.s.rejected++;
    const raw: Record<string, Cell> = {};
    const h = this.m.headers;
    for (let i = 0; i < Math.max(h.length, r.cells.length); i++) {
      let v = r.cells[i] ?? null;
      if (typeof v === 'number' && r.dateCols?.includes(i)) v = excelSerial(v, this.ctx.date1904)?.date ?? v;
      else if (typeof v === 'number' && r.padded) v = paddedText(r, i, v) ?? v;
      else if (r.unreadable) v = r.unreadable.find((u) => u.col === i && u.text !== undefined)?.text ?? v;
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
