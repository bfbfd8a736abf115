// Rows as a few flat arrays and one string, to pass a batch between threads cheaply (no object per cell to clone),
// and back as the very same rows: every cell's type and value, holes, and the per-row extras (date columns, padding,
// unreadable cells, UTF-8 line).
import type { Cell, SourceRow } from './cells.js';

export interface RowBatch {
  /** Per row: its number, its number of cells. */
  rows: Int32Array;
  /** Per cell: 0 null, 1 text, 2 number, 3 true, 4 false, 5 a hole, 6 undefined. */
  tags: Uint8Array;
  nums: Float64Array;
  /** The text cells one after the other, and their lengths. */
  text: string;
  lens: Int32Array;
  /** Per row: how many date columns it lists (-1: none), then the columns themselves in `dateIdx` (xlsx: most rows). */
  dateCount: Int32Array;
  dateIdx: Int32Array;
  /** Rows (by index in the batch) with padding, unreadable cells or a UTF-8 line (few). */
  extras: [number, Pick<SourceRow, 'padded' | 'unreadable' | 'utf8Line'>][];
  sheet: string;
}

export function encodeRows(batch: readonly SourceRow[], sheet: string): RowBatch {
  let cells = 0;
  for (const r of batch) cells += r.cells.length;
  const rows = new Int32Array(batch.length * 2);
  const tags = new Uint8Array(cells);
  const nums: number[] = [];
  const lens: number[] = [];
  const texts: string[] = [];
  const extras: RowBatch['extras'] = [];
  const dateCount = new Int32Array(batch.length);
  const dateIdx: number[] = [];
  let k = 0;
  for (let i = 0; i < batch.length; i++) {
    const r = batch[i]!;
    const c = r.cells;
    rows[2 * i] = r.row;
    rows[2 * i + 1] = c.length;
    for (let j = 0; j < c.length; j++, k++) {
      const v = c[j];
      if (typeof v === 'string') {
        tags[k] = 1;
        texts.push(v);
        lens.push(v.length);
      } else if (typeof v === 'number') {
        tags[k] = 2;
        nums.push(v);
      } else if (v === true) tags[k] = 3;
      else if (v === false) tags[k] = 4;
      else if (v === null) tags[k] = 0;
      else tags[k] = j in c ? 6 : 5;
    }
    if (r.dateCols) {
      dateCount[i] = r.dateCols.length;
      for (const d of r.dateCols) dateIdx.push(d);
    } else dateCount[i] = -1;
    if (r.padded || r.unreadable || r.utf8Line) {
      const x: RowBatch['extras'][number][1] = {};
      if (r.padded) x.padded = r.padded;
      if (r.unreadable) x.unreadable = r.unreadable;
      if (r.utf8Line) x.utf8Line = r.utf8Line;
      extras.push([i, x]);
    }
  }
  return { rows, tags, nums: Float64Array.from(nums), text: texts.join(''), lens: Int32Array.from(lens), dateCount, dateIdx: Int32Array.from(dateIdx), extras, sheet };
}

export function decodeRows(b: RowBatch): SourceRow[] {
  const out: SourceRow[] = new Array(b.rows.length / 2);
  const { tags, nums, text, lens } = b;
  let k = 0;
  let n = 0;
  let s = 0;
  let at = 0;
  let d = 0;
  for (let i = 0; i < out.length; i++) {
    const len = b.rows[2 * i + 1]!;
    const cells: Cell[] = new Array(len);
    for (let j = 0; j < len; j++, k++) {
      const t = tags[k]!;
      if (t === 1) {
        const l = lens[s++]!;
        cells[j] = text.slice(at, at + l);
        at += l;
      } else if (t === 2) cells[j] = nums[n++]!;
      else if (t === 0) cells[j] = null;
      else if (t === 3) cells[j] = true;
      else if (t === 4) cells[j] = false;
      else if (t === 6) cells[j] = undefined as unknown as Cell;
    }
    const r: SourceRow = { sheet: b.sheet, row: b.rows[2 * i]!, cells };
    const dc = b.dateCount[i]!;
    if (dc >= 0) {
      r.dateCols = Array.from(b.dateIdx.subarray(d, d + dc));
      d += dc;
    }
    out[i] = r;
  }
  for (const [i, x] of b.extras) Object.assign(out[i]!, x);
  return out;
}
