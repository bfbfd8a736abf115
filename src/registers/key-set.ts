// A compact set of natural keys seen in one file (typed arrays, ~24 bytes a key), remembering the first row number.
import { hashEnd, hashFeed, hashStart } from './hash.js';

export class KeySet {
  private h1: Float64Array;
  private h2: Uint32Array;
  private rows: Uint32Array;
  private size = 0;
  private mask: number;

  constructor(capacity = 1 << 14) {
    this.h1 = new Float64Array(capacity);
    this.h2 = new Uint32Array(capacity);
    this.rows = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  private static hashes(key: string): [number, number] {
    hashStart(0x5eed);
    hashFeed(key);
    const a = hashEnd();
    hashStart(0x1234567);
    hashFeed(key);
    return [a, hashEnd() >>> 0];
  }

  /** The row where the key was first seen, or 0. */
  get(key: string): number {
    const [a, b] = KeySet.hashes(key);
    let i = a % (this.mask + 1);
    while (this.rows[i] !== 0) {
      if (this.h1[i] === a && this.h2[i] === b) return this.rows[i]!;
      i = (i + 1) & this.mask;
    }
    return 0;
  }

  /** Remember a key (first row wins). */
  add(key: string, row: number): void {
    if ((this.size + 1) * 10 > (this.mask + 1) * 6) this.grow();
    const [a, b] = KeySet.hashes(key);
    this.put(a, b, row);
  }

  private put(a: number, b: number, row: number): void {
    let i = a % (this.mask + 1);
    while (this.rows[i] !== 0) {
      if (this.h1[i] === a && this.h2[i] === b) return;
      i = (i + 1) & this.mask;
    }
    this.h1[i] = a;
    this.h2[i] = b;
    this.rows[i] = row || 1;
    this.size++;
  }

  private grow(): void {
    const { h1, h2, rows } = this;
    const cap = (this.mask + 1) * 2;
    this.h1 = new Float64Array(cap);
    this.h2 = new Uint32Array(cap);
    this.rows = new Uint32Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < rows.length; i++) if (rows[i] !== 0) this.put(h1[i]!, h2[i]!, rows[i]!);
  }
}
