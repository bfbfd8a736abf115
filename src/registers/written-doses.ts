// The vaccinations a first import into an empty vaccinations register writes, kept compactly as they are written
// (child, vaccine, dose, date by rowid; 8 bytes a row), so that the per-child facts (child-doses.ts) are built
// from them at the end of the import instead of reading a million rows back from the register. They are used only
// when they can be put in exactly the order SQLite would give (ORDER BY child_id, vaccine, dose): ids and vaccines
// are texts without surrogate pairs (UTF-16 and UTF-8 order agree), doses whole numbers 0–255, at most 256 vaccine
// texts and 65,536 dates; any other row makes them unusable and the facts are read from the register as before.
import type { RegisterDef } from '../catalog/registers.js';
import type { SqlValue } from './coerce.js';
import { leadingDateInt } from '../calendar.js';

/** The register whose written rows are kept, and its columns they are taken from. */
const REGISTER = 'vaccinations';
const COLUMNS = ['child_id', 'vaccine', 'dose', 'vaccination_date'] as const;
const SURROGATE = /[\ud800-\udfff]/;
/** Rows the blocks can number (Int32 positions). */
const MAX_ROWID = 2 ** 31 - 1;

/** Rows per block of storage (blocks are added as rows come: no copies, at most one block unused). */
const BLOCK_BITS = 16;
const BLOCK = 1 << BLOCK_BITS;

export class WrittenDoses {
  /** False once a row is written that cannot be ordered here as SQLite orders it. */
  usable = true;
  /** The import ids of the rows written (the lowest): the rows the refresh would otherwise find by import id. */
  minImportId = Infinity;
  /**
   * Per rowid − 1, in blocks: the child's number + 1 (0: no row), and the vaccine's number (8 bits), the dose (8 bits)
   * and the date's number (16 bits) in one word: 8 bytes a row.
   */
  private readonly child: Int32Array[] = [];
  private readonly packed: Uint32Array[] = [];
  /** Rowids 1…end may hold rows. */
  private end = 0;
  private readonly childIds = new Map<string, number>();
  private readonly childList: string[] = [];
  private readonly vaccines = new Map<string, number>();
  private readonly vaccineList: string[] = [];
  /** The dates (yyyymmdd, 0 for none) by number. */
  private readonly dates = new Map<number, number>();
  private readonly dateList: number[] = [];

  private constructor(private readonly cols: readonly number[]) {}

  /** Whether `reg`'s written rows are kept: the vaccinations register. */
  static keeps(reg: RegisterDef): boolean {
    return reg.id === REGISTER;
  }

  /** A collector for `reg`'s rows, when it is the vaccinations register with the columns the facts are built from. */
  static of(reg: RegisterDef): WrittenDoses | undefined {
    if (!WrittenDoses.keeps(reg)) return undefined;
    const cols = COLUMNS.map((n) => reg.columns.findIndex((c) => c.name === n));
    return cols.every((i) => i >= 0) ? new WrittenDoses(cols) : undefined;
  }

  /** How many distinct child ids the written rows have. */
  get children(): number {
    return this.childList.length;
  }

  /** The row stored at `rowid` (inserted, or updated to these values) by the import `importId`. */
  put(rowid: number, values: readonly SqlValue[], importId: number): void {
    if (!this.usable) return;
    const [ci, vi, di, ti] = this.cols as [number, number, number, number];
    const c = values[ci];
    const v = values[vi];
    const d = values[di];
    const t = values[ti];
    // Whole doses 0…255 only (a compact and exact order); texts and empty values: read back from the register.
    if (typeof c !== 'string' || typeof v !== 'string' || typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > 0xff || (t !== null && typeof t !== 'string') || !(rowid >= 1 && rowid <= MAX_ROWID)) {
      this.usable = false;
      return;
    }
    const child = this.idOf(c, this.childIds, this.childList);
    const vaccine = this.idOf(v, this.vaccines, this.vaccineList);
    const ymd = leadingDateInt(t);
    let date = this.dates.get(ymd);
    if (date === undefined) {
      date = this.dateList.length;
      this.dateList.push(ymd);
      this.dates.set(ymd, date);
    }
    if (child < 0 || vaccine < 0 || vaccine > 0xff || date > 0xffff) {
      this.usable = false;
      return;
    }
    const i = rowid - 1;
    const b = i >>> BLOCK_BITS;
    while (this.child.length <= b) {
      this.child.push(new Int32Array(BLOCK));
      this.packed.push(new Uint32Array(BLOCK));
    }
    const j = i & (BLOCK - 1);
    this.child[b]![j] = child + 1;
    this.packed[b]![j] = vaccine * 0x1000000 + d * 0x10000 + date;
    if (rowid > this.end) this.end = rowid;
    if (importId < this.minImportId) this.minImportId = importId;
  }

  /** The number of a text among `list` (added when new), or -1 for a text SQLite and JS would order differently. */
  private idOf(s: string, ids: Map<string, number>, list: string[]): number {
    let id = ids.get(s);
    if (id === undefined) {
      if (SURROGATE.test(s)) return -1;
      id = list.length;
      // A copy: the value may be a slice of the whole text it was read from, which must not stay in memory with it.
      const own = Buffer.from(s, 'utf8').toString('utf8');
      list.push(own);
      ids.set(own, id);
    }
    return id;
  }

  /**
   * Each child (by id, in SQLite's BINARY order) with its rows in (vaccine, dose, rowid) order: `row(vaccine, dose,
   * date as yyyymmdd or 0)` for every row, then `done(childId)`.
   */
  eachChild(row: (vaccine: string, dose: number, date: number) => void, done: (childId: string) => void): void {
    const order = (list: string[]): Int32Array => {
      const idx = Int32Array.from(list.keys());
      return idx.sort((a, b) => (list[a]! < list[b]! ? -1 : list[a]! > list[b]! ? 1 : 0));
    };
    const vaccineRank = new Int32Array(this.vaccineList.length);
    order(this.vaccineList).forEach((v, rank) => (vaccineRank[v] = rank));
    const childOf = (i: number): number => this.child[i >>> BLOCK_BITS]![i & (BLOCK - 1)]!;
    const packedOf = (i: number): number => this.packed[i >>> BLOCK_BITS]![i & (BLOCK - 1)]!;
    // Rows grouped by child (counting sort, rowid order within a child), then each child's rows sorted.
    const nChildren = this.childList.length;
    const start = new Int32Array(nChildren + 1);
    for (let i = 0; i < this.end; i++) start[childOf(i)]!++;
    start[0] = 0; // rowids without a row
    for (let c = 0; c < nChildren; c++) start[c + 1]! += start[c]!;
    const rows = new Int32Array(start[nChildren]!);
    const at = start.slice(0, nChildren);
    for (let i = 0; i < this.end; i++) {
      const c = childOf(i);
      if (c) rows[at[c - 1]!++] = i;
    }
    this.child.length = 0; // grouped: the children by row are no longer needed
    const sortKey = (i: number): number => {
      const p = packedOf(i);
      return vaccineRank[p >>> 24]! * 256 + ((p >>> 16) & 0xff);
    };
    const byVaccineDose = (a: number, b: number): number => sortKey(a) - sortKey(b) || a - b;
    for (const c of order(this.childList)) {
      const mine = rows.subarray(start[c]!, start[c + 1]!);
      if (mine.length > 1) mine.sort(byVaccineDose);
      for (const i of mine) {
        const p = packedOf(i);
        row(this.vaccineList[p >>> 24]!, (p >>> 16) & 0xff, this.dateList[p & 0xffff]!);
      }
      done(this.childList[c]!);
    }
  }
}
