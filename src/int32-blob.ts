// Int32 values stored as a BLOB: little-endian on every machine, read back without a copy where the bytes allow it.

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The Int32 values of a blob (little-endian). */
export function int32sOfBlob(blob: Buffer): Int32Array {
  if (blob.byteOffset % 4 === 0 && LITTLE_ENDIAN) return new Int32Array(blob.buffer, blob.byteOffset, blob.byteLength >> 2);
  if (LITTLE_ENDIAN) return new Int32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
  const out = new Int32Array(blob.byteLength >> 2);
  for (let i = 0; i < out.length; i++) out[i] = blob.readInt32LE(i * 4);
  return out;
}

/** The bytes of Int32 values, little-endian (the stored form on every machine). */
export function blobOfInt32s(a: Int32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const buf = Buffer.alloc(a.byteLength);
  for (let i = 0; i < a.length; i++) buf.writeInt32LE(a[i]!, i * 4);
  return buf;
}
