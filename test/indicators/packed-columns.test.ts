// Columns packed into one blob (1, 2 or 4 bytes a value) come back exactly, whatever their values.
import { describe, expect, it } from 'vitest';
import { packColumns, unpackColumns } from '../../src/packed-columns.js';

describe('packColumns / unpackColumns', () => {
  it('every value back, in the fewest bytes: zeros, −1, small ranges, day numbers, full 32-bit values, empty columns', () => {
    const cols = [
      Int32Array.from([0, 0, 0]),
      Int32Array.from([-1, 0, 3, 253, -1]), // −1 … 253 with 0: one byte (255 values besides 0)
      Int32Array.from([0, 752_000, 752_254]), // day numbers of a decade with 0 (no date): one byte
      Int32Array.from([752_000, 0, 756_000, 752_001]), // two bytes
      Int32Array.from([-2_147_483_648, 0, 2_147_483_647, 5]), // four bytes
      new Int32Array(0),
      Int32Array.from([7]),
    ];
    const blob = packColumns(cols);
    expect(unpackColumns(blob)).toEqual(cols);
    expect(blob.byteLength).toBe(4 * (1 + 3 * cols.length) + 4 + 8 + 4 + 8 + 16 + 0 + 4);
    // A blob that does not start on a 4-byte boundary (as a database may hand it over) reads the same.
    const shifted = Buffer.concat([Buffer.alloc(1), blob]).subarray(1);
    expect(unpackColumns(shifted)).toEqual(cols);
  });
});
