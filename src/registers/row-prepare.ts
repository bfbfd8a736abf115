// Everything an import does with a row before the database: which rows are records (empty, 小计, the 合计/说明 row
// that ends the data, rows below it), hashing, coercing and checking the cells, and the rejected row's text. No
// database here, so that it can run on a second thread (prepare-thread.ts) while the importing thread writes.
import { version as toolVersionDefault } from '../version.js';
import type { ColumnDef, RegisterDef } from '../catalog/registers.js';
import { compileCoercer, FAIL, newCtx, parseBloodPressure, type Coercer, type SqlValue } from './coerce.js';
import { excelSerial } from './dates.js';
import { hashEnd, hashFeed, hashStart, hashString } from './hash.js';
import { endRowKind, endRowMarker, isEmptyRow, type ColumnMapping } from './headers.js';
import { keyHash, keyHashes } from './key-set.js';
import { RowChecks, type RowProblem } from './row-checks.js';
import type { Cell, SourceRow } from './cells.js';
import { vaccineMapper } from './vaccines.js';
import { maybeUnfaithful, unfaithful } from './faithful.js';

/** A signature-line cell of a form: a short label and a colon (填表人：李四, 制表单位：…, 日期：). */
const LABEL_CELL = /^[\u4e00-\u9fa5（）()]{1,8}\s*[:：]/;

/** A UTF-8 row in a GB18030/GBK CSV: stored as read (UTF-8, what was typed), and said so. */
const MIXED_UTF8 = '这一行是 UTF-8 编码，而文件的其余部分是 GBK/GB18030（多半是从另一个文件复制进来的）：已按 UTF-8 读出并保存；用 Excel/WPS 打开这个文件时这一行显示为乱码，请核对这一行的内容';

/** What a sheet's rows are prepared with (plain data: it is sent to the preparing thread as it is). */
export interface PrepareSettings {
  reg: RegisterDef;
  m: ColumnMapping;
  date1904: boolean;
  /** The CSV encoding (named in the message of a cell that did not decode). */
  encoding?: string;
  /** YYYY-MM-DD, for the not-in-the-future check. */
  today: string;
  toolVersion?: string;
}

/**
 * One record of a sheet, prepared. `done` false: only the raw hash and the key are there (enough to find an unchanged
 * row); RowPreparer.complete gives the rest. Keys are given by their hashes (key-set.ts).
 */
export interface PreparedRow {
  /** A row below the 合计/说明 row with values in the register's columns: rejected with its problems. */
  afterEnd: boolean;
  row: number;
  /** Hash of the mapped cells as read. */
  rawHash: number;
  /** The key read from the key columns alone (hasKey false: one of them cannot be read), and those values. */
  hasKey: boolean;
  keyA: number;
  keyB: number;
  keyVals: SqlValue[];
  done: boolean;
  /** Complete: the stored values, the key they make (kSame: the same key string as the one above), the row hash. */
  values: SqlValue[];
  kSame: boolean;
  kA: number;
  kB: number;
  rowHash: number;
  /** Problems (errors reject the row) and, for a rejected row, the row as the file has it (JSON). */
  errors: RowProblem[];
  warns: RowProblem[];
  raw: string;
}

export function emptyPrepared(cols: number, keys: number): PreparedRow {
  return {
    afterEnd: false, row: 0, rawHash: 0, hasKey: false, keyA: 0, keyB: 0, keyVals: new Array(keys).fill(null), done: false,
    values: new Array(cols).fill(null), kSame: false, kA: 0, kB: 0, rowHash: 0, errors: [], warns: [], raw: '',
  };
}

/** The zero-padded text a `0000`-style number format shows for a non-negative integer cell, if it has one. */
function paddedText(r: SourceRow, col: number, v: number): string | undefined {
  if (!Number.isInteger(v) || v < 0 || v >= 1e15) return undefined;
  for (const p of r.padded!) if (p.col === col) return String(v).padStart(p.width, '0');
  return undefined;
}

/** The header a stored column is read from, as the sheet writes it. */
export function columnHeader(m: ColumnMapping, colIdx: number): string {
  const src = m.sourceIndex[colIdx]!;
  if (src >= 0) return m.headers[src]!;
  const cb = m.combined.find((c) => c.into.includes(colIdx));
  return cb ? cb.header : m.register.columns[colIdx]!.header;
}

export class RowPreparer {
  private readonly cols: ColumnDef[];
  private readonly m: ColumnMapping;
  private readonly coercers: (Coercer | undefined)[];
  /** The positions of the natural-key columns among the register's columns. */
  readonly keyIdx: number[];
  private readonly ctx;
  private readonly encoding?: string;
  private readonly seed: number;
  private readonly rawCol: number;
  private readonly doseIdx: number;
  private readonly checks: RowChecks;
  private readonly mapped: number[];
  private readonly headers: string[];
  /** The one prepared row handed out (overwritten by the next row), and the source row it is from. */
  private readonly p: PreparedRow;
  private cur: SourceRow | undefined;
  /** The key string of the row being prepared (from its key columns alone). */
  private key = '';
  /** The 合计/说明 row that ended the data (0 while in the data) and its marker. */
  private endRow = 0;
  private endText = '';

  constructor(o: PrepareSettings) {
    const reg = o.reg;
    this.m = o.m;
    this.cols = reg.columns;
    this.encoding = o.encoding;
    const vac = vaccineMapper();
    this.coercers = this.cols.map((c) => (c.derived ? undefined : compileCoercer(c, vac)));
    this.keyIdx = reg.naturalKey.map((k) => this.cols.findIndex((c) => c.name === k));
    this.ctx = newCtx(o.date1904);
    this.seed = hashString(`${o.toolVersion ?? toolVersionDefault}|${reg.id}|${o.date1904 ? 1904 : 1900}|${reg.columns.map((c) => c.name).join(',')}`);
    this.headers = this.cols.map((_c, i) => columnHeader(this.m, i));
    this.checks = new RowChecks(reg, o.today, (i) => this.headers[i]!);
    const vcol = this.cols.find((c) => c.type === 'vaccine');
    this.rawCol = vcol?.rawColumn ? this.cols.findIndex((c) => c.name === vcol.rawColumn) : -1;
    this.doseIdx = vcol ? this.cols.findIndex((c) => c.name === 'dose') : -1;
    this.mapped = this.m.sourceIndex.filter((i) => i >= 0).concat(this.m.combined.map((c) => c.index));
    this.p = emptyPrepared(this.cols.length, this.keyIdx.length);
  }

  /**
   * One source row: undefined when it is not a record (empty, a 小计 row, the 合计/说明 row that ends the data, a
   * note or signature line below it); else the prepared row (`done` false for a data row: see complete).
   */
  row(r: SourceRow): PreparedRow | undefined {
    const cells = r.cells;
    if (isEmptyRow(cells)) return undefined;
    if (this.endRow) return this.belowEnd(r);
    const kind = endRowKind(cells);
    if (kind === 'subtotal') return undefined;
    if (kind) {
      this.endRow = r.row;
      // The marker only (合计, 填表人): the rest of the cell may be a phone number or a name.
      this.endText = endRowMarker(cells)?.marker ?? '';
      return undefined;
    }
    const p = this.p;
    this.cur = r;
    p.afterEnd = false;
    p.done = false;
    p.row = r.row;
    // Raw hash of the mapped cells: the fast path for unchanged rows.
    hashStart(this.seed);
    for (const i of this.mapped) hashFeed(cells[i] ?? null);
    if (r.unreadable) hashFeed('\u0000unreadable'); // an empty cell and a formula without its value are not the same
    p.rawHash = hashEnd();
    // Key columns first.
    const key = this.coerceKey(cells, r);
    p.hasKey = key !== undefined;
    if (key !== undefined) {
      keyHashes(key);
      p.keyA = keyHash.a;
      p.keyB = keyHash.b;
      for (let j = 0; j < this.keyIdx.length; j++) p.keyVals[j] = p.values[this.keyIdx[j]!]!;
      this.key = key;
    }
    return p;
  }

  /** The rest of a data row: all cells coerced and checked; the stored values, their key and hash, or the reject. */
  complete(p: PreparedRow): void {
    const r = this.cur!;
    const cells = r.cells;
    this.coerceAll(cells, r);
    const warns = p.warns;
    if (cells.length > this.m.headers.length) {
      for (let i = this.m.headers.length; i < cells.length; i++) {
        const v = cells[i];
        if (v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '')) {
          warns.push({ column: `列${i + 1}`, code: 'REG_EXTRA_CELLS', message: `第${i + 1}列没有表头，其中的值未导入` });
          break;
        }
      }
    }
    if (r.utf8Line) warns.push({ code: 'REG_MIXED_ENCODING_UTF8', message: MIXED_UTF8 });
    p.done = true;
    if (p.errors.length) {
      p.raw = this.rawText(r);
      return;
    }
    // The key columns as read alone and with the whole row are mostly the very same values: no second key string then.
    let same = p.hasKey;
    for (let j = 0; same && j < this.keyIdx.length; j++) same = p.values[this.keyIdx[j]!] === p.keyVals[j];
    const k = same ? this.key : this.keyString();
    p.kSame = p.hasKey && k === this.key;
    if (!p.kSame) {
      keyHashes(k);
      p.kA = keyHash.a;
      p.kB = keyHash.b;
    } else {
      p.kA = p.keyA;
      p.kB = p.keyB;
    }
    hashStart(this.seed);
    for (let i = 0; i < p.values.length; i++) hashFeed(p.values[i]);
    p.rowHash = hashEnd();
  }

  /**
   * Below the 合计/说明 row nothing is data, but no row there is dropped unseen: a row with values in the register's
   * columns (rows appended under the 合计 row of a hand-kept register, a summary block) is counted and rejected with
   * REG_ROW_AFTER_END and its own problems, so the misplaced 合计 row shows up and `registers rejects` gives the rows
   * back. Rows whose shape says they are not records are skipped: more marker rows, a note alone in its row, and
   * signature lines (every cell a label：value such as 填表人：李四).
   */
  private belowEnd(r: SourceRow): PreparedRow | undefined {
    const cells = r.cells;
    if (endRowKind(cells)) return undefined;
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
    if (filled < 2 || labels === filled || mapped === 0) return undefined;
    const p = this.p;
    p.afterEnd = true;
    p.row = r.row;
    p.hasKey = false;
    this.coerceAll(cells, r);
    p.warns.length = 0;
    const { endRow, endText } = this;
    p.errors.unshift({
      code: 'REG_ROW_AFTER_END',
      message: `在第${endRow}行「${endText}」之后，不作为数据导入；如果这是数据，请删除或移走第${endRow}行后重新导入`,
    });
    p.raw = this.rawText(r);
    p.done = true;
    return p;
  }

  private keyString(): string {
    let s = '';
    for (const i of this.keyIdx) s += `${this.p.values[i]}\u0001`;
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
      this.p.values[i] = c;
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
    const vals = this.p.values;
    const errors = this.p.errors;
    const warns = this.p.warns;
    const header = this.headers;
    errors.length = 0;
    warns.length = 0;
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
          errors.push({ column: header[i], code: p.code, message: `「${header[i]}」${p.message}` });
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
        errors.push({ column: header[i], code: ctx.code, message: `「${header[i]}」${ctx.message}` });
      } else vals[i] = c;
      if (ctx.warnCode) warns.push({ column: header[i], code: ctx.warnCode, message: `「${header[i]}」${ctx.warnMessage}` });
    }
    for (const cb of this.m.combined) {
      const p = maybeUnfaithful(r, cb.index) ? unfaithful(r, cb.index, this.encoding) : undefined;
      if (p) {
        errors.push({ column: cb.header, code: p.code, message: `「${cb.header}」${p.message}` });
        continue;
      }
      const v = cells[cb.index];
      if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) continue;
      const bp = parseBloodPressure(v);
      if (!bp) errors.push({ column: cb.header, code: 'REG_BAD_BLOOD_PRESSURE', message: `「${cb.header}」应写成 收缩压/舒张压，如 135/85` });
      else {
        vals[cb.into[0]] = bp[0];
        vals[cb.into[1]] = bp[1];
      }
    }
    if (this.rawCol >= 0) vals[this.rawCol] = ctx.vaccineName ?? null;
    if (this.doseIdx >= 0 && vals[this.doseIdx] === null && ctx.vaccineDose !== undefined) vals[this.doseIdx] = ctx.vaccineDose;
    this.checks.check(vals, ctx.idBirth, errors, warns);
  }

  /** The rejected row as the file shows it, by header (JSON). */
  private rawText(r: SourceRow): string {
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
    return JSON.stringify(raw);
  }
}
