// Columns of whole numbers stored as one BLOB, each in the fewest bytes its values need (1, 2 or 4 each): a column
// of 0 or −1, label indices or day numbers of a decade takes a byte or two a value instead of four. Little-endian.
import { blobOfInt32s, int32sOfBlob } from './int32-blob.js';

/** How a column is stored: 4 bytes as is; or 1 or 2 bytes, 0 kept as 0 and any other v as v − base + 1. */
function widthOf(col: Int32Array): { width: 1 | 2 | 4; base: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!;
    if (v === 0) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return { width: 1, base: 1 };
  const range = hi - lo + 1;
  return { width: range <= 0xff ? 1 : range <= 0xffff ? 2 : 4, base: lo };
}

const padded = (bytes: number) => (bytes + 3) & ~3;

/** The columns as one blob: [count, then width, base, length of each], then each column's values, 4-byte aligned. */
export function packColumns(cols: Int32Array[]): Buffer {
  const shapes = cols.map(widthOf);
  const header = new Int32Array(1 + 3 * cols.length);
  header[0] = cols.length;
  let bytes = header.byteLength;
  cols.forEach((c, k) => {
    header.set([shapes[k]!.width, shapes[k]!.base, c.length], 1 + 3 * k);
    bytes += padded(c.length * shapes[k]!.width);
  });
  const out = Buffer.alloc(bytes);
  blobOfInt32s(header).copy(out, 0);
  let at = header.byteLength;
  cols.forEach((c, k) => {
    const { width, base } = shapes[k]!;
    if (width === 4) blobOfInt32s(c).copy(out, at);
    else {
      for (let i = 0; i < c.length; i++) {
        const v = c[i] === 0 ? 0 : c[i]! - base + 1;
        if (width === 1) out[at + i] = v;
        else out.writeUInt16LE(v, at + 2 * i);
      }
    }
    at += padded(c.length * width);
  });
  return out;
}

/** The columns of a blob written by packColumns. */
export function unpackColumns(blob: Buffer): Int32Array[] {
  const n = blob.readInt32LE(0);
  const header = int32sOfBlob(blob.subarray(0, 4 * (1 + 3 * n)));
  const out: Int32Array[] = [];
  let at = header.byteLength;
  for (let k = 0; k < n; k++) {
    const [width, base, len] = [header[1 + 3 * k]!, header[2 + 3 * k]!, header[3 + 3 * k]!];
    if (width === 4) out.push(int32sOfBlob(blob.subarray(at, at + 4 * len)));
    else {
      const col = new Int32Array(len);
      col.set(narrowView(blob, at, len, width as 1 | 2)); // the stored values, converted natively; then 0 kept, the rest shifted
      const shift = base - 1;
      if (shift !== 0) {
        for (let i = 0; i < len; i++) {
          const v = col[i]!;
          if (v !== 0) col[i] = v + shift;
        }
      }
      out.push(col);
    }
    at += padded(len * width);
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The 1- or 2-byte values at `at` as a typed array (a view when the bytes allow it). */
function narrowView(blob: Buffer, at: number, len: number, width: 1 | 2): Uint8Array | Uint16Array {
  if (width === 1) return blob.subarray(at, at + len);
  const start = blob.byteOffset + at;
  if (LITTLE_ENDIAN) return start % 2 === 0 ? new Uint16Array(blob.buffer, start, len) : new Uint16Array(blob.buffer.slice(start, start + 2 * len));
  const out = new Uint16Array(len);
  for (let i = 0; i < len; i++) out[i] = blob.readUInt16LE(at + 2 * i);
  return out;
}
