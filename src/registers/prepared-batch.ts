// Prepared rows (row-prepare.ts) as a few flat arrays and one string, to pass a batch from the preparing thread to
// the writing thread cheaply, and back as the very same prepared rows: stored values with their types, hashes, and the
// few rows with problems (errors, warnings, the rejected row's text) or key values of their own.
import type { SqlValue } from './coerce.js';
import type { RowProblem } from './row-checks.js';
import type { PreparedRow } from './row-prepare.js';

export interface PreparedBatch {
  /** Per row: its number and flags (AFTER_END, HAS_KEY, K_SAME, VALUES). */
  ints: Int32Array;
  /** Per row: raw hash, key hashes (2), hashes of the key of all values (2), row hash. */
  hashes: Float64Array;
  /** Per stored value of the rows with VALUES: 0 null, 1 text, 2 number. */
  tags: Uint8Array;
  nums: Float64Array;
  /** The text values one after the other, and their lengths. */
  text: string;
  lens: Int32Array;
  /** Rows (by index in the batch) with problems, a rejected row's text, or key values not among the stored values. */
  extras: [number, Extra][];
  /** The share of the file read when the batch was sent. */
  fraction: number;
}

interface Extra {
  keyVals?: SqlValue[];
  errors?: RowProblem[];
  warns?: RowProblem[];
  raw?: string;
}

const AFTER_END = 1;
const HAS_KEY = 2;
const K_SAME = 4;
const VALUES = 8;
const HASHES = 6;

/** Collects complete prepared rows into a batch of at most `capacity` rows (typed arrays filled in place, then handed over). */
export class PreparedBatchBuilder {
  private n = 0;
  private ints!: Int32Array;
  private hashes!: Float64Array;
  private tags!: Uint8Array;
  private nums!: Float64Array;
  private lens!: Int32Array;
  private text = '';
  private strings = 0;
  private extras: [number, Extra][] = [];
  private t = 0;
  private num = 0;

  constructor(
    private readonly keyIdx: readonly number[],
    private readonly cols: number,
    private readonly capacity: number,
  ) {
    this.fresh();
  }

  private fresh(): void {
    this.n = this.t = this.num = 0;
    this.ints = new Int32Array(this.capacity * 2);
    this.hashes = new Float64Array(this.capacity * HASHES);
    this.tags = new Uint8Array(this.capacity * this.cols);
    this.nums = new Float64Array(this.capacity * this.cols);
    this.lens = new Int32Array(this.capacity * this.cols);
    this.text = '';
    this.strings = 0;
    this.extras = [];
  }

  get length(): number {
    return this.n;
  }

  get full(): boolean {
    return this.n >= this.capacity;
  }

  add(p: PreparedRow): void {
    const i = this.n++;
    const values = !p.afterEnd && p.errors.length === 0;
    let flags = (p.afterEnd ? AFTER_END : 0) | (p.hasKey ? HAS_KEY : 0) | (values ? VALUES : 0);
    if (values && p.kSame) flags |= K_SAME;
    this.ints[2 * i] = p.row;
    this.ints[2 * i + 1] = flags;
    const h = this.hashes;
    const at = i * HASHES;
    h[at] = p.rawHash;
    h[at + 1] = p.keyA;
    h[at + 2] = p.keyB;
    h[at + 3] = p.kA;
    h[at + 4] = p.kB;
    h[at + 5] = p.rowHash;
    let x: Extra | undefined;
    if (values) {
      const { tags, nums, lens } = this;
      for (const v of p.values) {
        if (v === null) tags[this.t++] = 0;
        else if (typeof v === 'number') {
          tags[this.t++] = 2;
          nums[this.num++] = v;
        } else {
          lens[this.strings++] = v.length;
          tags[this.t++] = 1;
          this.text += v;
        }
      }
      if (p.warns.length) (x ??= {}).warns = p.warns.slice();
    } else {
      x = { errors: p.errors.slice(), raw: p.raw };
    }
    if (p.hasKey && (!values || !this.sameKey(p))) (x ??= {}).keyVals = p.keyVals.slice();
    if (x) this.extras.push([i, x]);
  }

  /** The key values read from the key columns alone are the stored values of those columns. */
  private sameKey(p: PreparedRow): boolean {
    const k = this.keyIdx;
    for (let j = 0; j < k.length; j++) if (p.values[k[j]!] !== p.keyVals[j]) return false;
    return true;
  }

  /** The batch so far and the buffers to transfer with it (the builder starts empty again). */
  take(fraction: number): { batch: PreparedBatch; transfer: ArrayBuffer[] } {
    const b: PreparedBatch = {
      ints: this.ints.subarray(0, 2 * this.n), hashes: this.hashes.subarray(0, HASHES * this.n), tags: this.tags.subarray(0, this.t),
      nums: this.nums.subarray(0, this.num), text: this.text, lens: this.lens.subarray(0, this.strings), extras: this.extras, fraction,
    };
    const transfer = [this.ints.buffer, this.hashes.buffer, this.tags.buffer, this.nums.buffer, this.lens.buffer] as ArrayBuffer[];
    this.fresh();
    return { batch: b, transfer };
  }
}

/** Hands the rows of a batch to `put`, as the one prepared row object `p` (overwritten row after row). */
export function eachPrepared(b: PreparedBatch, cols: number, keyIdx: readonly number[], put: (p: PreparedRow) => void, p: PreparedRow): void {
  const { ints, hashes, tags, nums, text, lens, extras } = b;
  const n = ints.length / 2;
  let t = 0;
  let num = 0;
  let s = 0;
  let at = 0;
  let e = 0;
  const none: RowProblem[] = [];
  // Reused for the rows without problems (the writer may add a duplicate's warning) and without key values of their own.
  const warns: RowProblem[] = [];
  const keyVals: SqlValue[] = new Array(keyIdx.length).fill(null);
  for (let i = 0; i < n; i++) {
    const flags = ints[2 * i + 1]!;
    p.row = ints[2 * i]!;
    p.afterEnd = (flags & AFTER_END) !== 0;
    p.hasKey = (flags & HAS_KEY) !== 0;
    p.kSame = (flags & K_SAME) !== 0;
    p.done = true;
    const h = i * HASHES;
    p.rawHash = hashes[h]!;
    p.keyA = hashes[h + 1]!;
    p.keyB = hashes[h + 2]!;
    p.kA = hashes[h + 3]!;
    p.kB = hashes[h + 4]!;
    p.rowHash = hashes[h + 5]!;
    const values = p.values;
    if (flags & VALUES) {
      for (let c = 0; c < cols; c++) {
        const tag = tags[t++]!;
        if (tag === 0) values[c] = null;
        else if (tag === 2) values[c] = nums[num++]!;
        else {
          const l = lens[s++]!;
          values[c] = text.slice(at, at + l);
          at += l;
        }
      }
    }
    const x = e < extras.length && extras[e]![0] === i ? extras[e++]![1] : undefined;
    p.errors = x?.errors ?? none;
    warns.length = 0;
    p.warns = x?.warns ?? warns;
    p.raw = x?.raw ?? '';
    if (x?.keyVals) p.keyVals = x.keyVals;
    else if (p.hasKey) {
      p.keyVals = keyVals;
      for (let j = 0; j < keyIdx.length; j++) keyVals[j] = values[keyIdx[j]!]!;
    }
    put(p);
  }
}
