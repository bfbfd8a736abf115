// A compact set of natural keys seen in one file (typed arrays, ~22 bytes a key; ~26 when a file has several sheets), remembering where each was first seen (sheet and row).
import { releaseMemory } from '../release-memory.js';

// Keys are given by their two hashes (keyHashes), so that a thread that prepares rows can send the hashes instead of the key.

/** The hashes of the key last given to keyHashes: 53 and 32 bits, independent. */
export const keyHash = { a: 0, b: 0 };

/** Two independent hashes of a key in one pass, into `keyHash`. */
export function keyHashes(key: string): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  let h3 = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
    h3 = Math.imul(h3 ^ c, 16777619);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  h3 ^= h3 >>> 15;
  h3 = Math.imul(h3, 0x2c1b3c6d);
  h3 ^= h3 >>> 12;
  keyHash.a = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  keyHash.b = (h3 >>> 0) || 1;
}

/** Slots from which a grown set's old arrays are freed at once (releaseMemory). */
const RELEASE_SLOTS = 1 << 19;

export class KeySet {
  private h1: Float64Array;
  private h2: Uint32Array;
  private rows: Uint32Array;
  /** Made when a key of a sheet other than the first is added (a CSV has one sheet: 2 bytes a slot saved). */
  private sheets: Uint16Array | undefined;
  private size = 0;
  /** The sheet (its number in the file) of the key `get` last found. */
  foundSheet = 0;
  /**
   * The register table had no rows when this file's import began: a key not in the set is not in the table either
   * (every row this file wrote is in the set), so the writer need not look it up.
   */
  fresh = false;
  private mask: number;

  constructor(capacity = 1 << 14) {
    this.h1 = new Float64Array(capacity);
    this.h2 = new Uint32Array(capacity);
    this.rows = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  /** The row where the key with these hashes (keyHashes) was first seen, or 0 (its sheet in `foundSheet`). */
  get(a: number, b: number): number {
    let i = b & this.mask;
    while (this.rows[i] !== 0) {
      if (this.h1[i] === a && this.h2[i] === b) {
        this.foundSheet = this.sheets ? this.sheets[i]! : 0;
        return this.rows[i]!;
      }
      i = (i + 1) & this.mask;
    }
    return 0;
  }

  /** Remember a key (first row wins); `sheet` numbers the sheet of the file it is on. */
  add(a: number, b: number, row: number, sheet = 0): void {
    if ((this.size + 1) * 10 > (this.mask + 1) * 6) this.grow();
    this.put(a, b, row, sheet);
  }

  private put(a: number, b: number, row: number, sheet: number): void {
    let i = b & this.mask;
    while (this.rows[i] !== 0) {
      if (this.h1[i] === a && this.h2[i] === b) return;
      i = (i + 1) & this.mask;
    }
    this.h1[i] = a;
    this.h2[i] = b;
    this.rows[i] = row || 1;
    if (sheet !== 0) (this.sheets ??= new Uint16Array(this.mask + 1))[i] = sheet;
    this.size++;
  }

  private grow(): void {
    const { h1, h2, rows, sheets } = this;
    const cap = (this.mask + 1) * 2;
    this.h1 = new Float64Array(cap);
    this.h2 = new Uint32Array(cap);
    this.rows = new Uint32Array(cap);
    this.sheets = undefined;
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < rows.length; i++) if (rows[i] !== 0) this.put(h1[i]!, h2[i]!, rows[i]!, sheets ? sheets[i]! : 0);
    // The old arrays (8 MB and more from 2^19 slots on) are garbage: freed now, not held beside the new ones.
    if (rows.length >= RELEASE_SLOTS) releaseMemory();
  }
}
