// A list of 32-bit integers that grows in place, for facts read row by row from a register: a typed array doubled when
// full. A million values take 4–8 MB, where a number[] took 8–12 MB and then a copy into an Int32Array (a 963,000-row
// 居民健康档案 peaked 180 MB above the import's own memory while its facts were stored; measured 2026-12-03).
export class Int32List {
  private a: Int32Array;
  /** The number of values; may be lowered to drop the last ones. */
  length = 0;

  constructor(capacity = 1024) {
    this.a = new Int32Array(Math.max(1, capacity));
  }

  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }

  /** The value at `i` (0 ≤ i < length). */
  at(i: number): number {
    return this.a[i]!;
  }

  /** The values as an Int32Array of their own (exactly `length` long). */
  values(): Int32Array {
    return this.a.slice(0, this.length);
  }
}
