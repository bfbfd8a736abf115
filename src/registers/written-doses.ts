// The vaccinations a first import into an empty vaccinations register writes, kept compactly as they are written
// (vaccine, dose, date: 4 bytes a row; the child: 8 bytes a run of rows of one child), so that the per-child facts (child-doses.ts) are built
// from them at the end of the import instead of reading a million rows back from the register. They are used only
// when they can be put in exactly the order SQLite would give (ORDER BY child_id, vaccine, dose): ids and vaccines
// are texts without surrogate pairs (UTF-16 and UTF-8 order agree), doses whole numbers 0–255, at most 256 vaccine
// texts and 65,536 dates; any other row makes them unusable and the facts are read from the register as before.
import type { RegisterDef } from '../catalog/registers.js';
import type { SqlValue } from './coerce.js';
import { leadingDateInt } from '../calendar.js';
import { Int32List } from '../int32-list.js';

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
  /** Per rowid − 1, in blocks: the vaccine's number (8 bits), the dose (8 bits) and the date's number (16 bits). */
  private readonly packed: Uint32Array[] = [];
  /**
   * The child of each rowid, as runs of rowids (a run's first rowid − 1 and its child's number, -1: no row): an update
   * keeps its row's key, so only inserts (at the next rowid) start runs, and a file grouped by child has one per child.
   */
  private readonly runStart = new Int32List();
  private readonly runChild = new Int32List();
  /** Rowids 1…end may hold rows. */
  private end = 0;
  private readonly childIds = new TextNumbers();
  private lastChild: string | undefined;
  private lastChildNo = -1;
  private readonly vaccineIds = new TextNumbers();
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
    return this.childIds.list.length;
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
    // Rows of one child usually follow each other: its number is the last one's.
    if (c !== this.lastChild) {
      this.lastChild = c;
      this.lastChildNo = this.childIds.number(c);
    }
    const child = this.lastChildNo;
    const vaccine = this.vaccineIds.number(v);
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
    while (this.packed.length <= b) this.packed.push(new Uint32Array(BLOCK));
    this.packed[b]![i & (BLOCK - 1)] = vaccine * 0x1000000 + d * 0x10000 + date;
    if (rowid > this.end) {
      if (rowid > this.end + 1) this.run(this.end, -1); // rowids without a row
      const runs = this.runChild.length;
      if (runs === 0 || this.runChild.at(runs - 1) !== child || rowid > this.end + 1) this.run(i, child);
      this.end = rowid;
    }
    if (importId < this.minImportId) this.minImportId = importId;
  }

  private run(start: number, child: number): void {
    this.runStart.push(start);
    this.runChild.push(child);
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
    const vaccineRank = new Int32Array(this.vaccineIds.list.length);
    order(this.vaccineIds.list).forEach((v, rank) => (vaccineRank[v] = rank));
    // The child's number + 1 of each rowid − 1 in turn (0: no row).
    const eachRow = (f: (i: number, child: number) => void): void => {
      const runs = this.runStart.length;
      for (let r = 0; r < runs; r++) {
        const to = r + 1 < runs ? this.runStart.at(r + 1) : this.end;
        const child = this.runChild.at(r) + 1;
        for (let i = this.runStart.at(r); i < to; i++) f(i, child);
      }
    };
    const packedOf = (i: number): number => this.packed[i >>> BLOCK_BITS]![i & (BLOCK - 1)]!;
    // Rows grouped by child (counting sort, rowid order within a child), then each child's rows sorted.
    const nChildren = this.childIds.list.length;
    const start = new Int32Array(nChildren + 1);
    eachRow((_, c) => start[c]!++);
    start[0] = 0; // rowids without a row
    for (let c = 0; c < nChildren; c++) start[c + 1]! += start[c]!;
    const rows = new Int32Array(start[nChildren]!);
    const at = start.slice(0, nChildren);
    eachRow((i, c) => {
      if (c) rows[at[c - 1]!++] = i;
    });
    const sortKey = (i: number): number => {
      const p = packedOf(i);
      return vaccineRank[p >>> 24]! * 256 + ((p >>> 16) & 0xff);
    };
    const byVaccineDose = (a: number, b: number): number => sortKey(a) - sortKey(b) || a - b;
    for (const c of order(this.childIds.list)) {
      const mine = rows.subarray(start[c]!, start[c + 1]!);
      if (mine.length > 1) mine.sort(byVaccineDose);
      for (const i of mine) {
        const p = packedOf(i);
        row(this.vaccineIds.list[p >>> 24]!, (p >>> 16) & 0xff, this.dateList[p & 0xffff]!);
      }
      done(this.childIds.list[c]!);
    }
  }
}

/** FNV-1a over a text's UTF-16 units. */
function textHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

/**
 * Texts numbered in the order first seen (an open-addressing table of numbers, compared as texts: far less memory
 * than a Map of 100,000 ids). A text SQLite and JS would order differently (surrogate pairs) gets -1.
 */
class TextNumbers {
  readonly list: string[] = [];
  private slots = new Int32Array(1 << 10);

  number(s: string): number {
    const mask = this.slots.length - 1;
    let i = textHash(s) & mask;
    for (let at = this.slots[i]!; at !== 0; at = this.slots[i]!) {
      if (this.list[at - 1] === s) return at - 1;
      i = (i + 1) & mask;
    }
    if (SURROGATE.test(s)) return -1;
    // A copy: the value may be a slice of the whole text it was read from, which must not stay in memory with it.
    this.list.push(Buffer.from(s, 'utf8').toString('utf8'));
    this.slots[i] = this.list.length;
    if (this.list.length * 2 > this.slots.length) this.grow();
    return this.list.length - 1;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    this.list.forEach((s, k) => {
      let i = textHash(s) & mask;
      while (this.slots[i] !== 0) i = (i + 1) & mask;
      this.slots[i] = k + 1;
    });
  }
}
