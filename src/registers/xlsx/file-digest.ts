// The sha256 of a whole file from the bytes read for other purposes (a workbook's parts as they are inflated), so a
// file is read from disk once: pieces arriving in file order are hashed as they come, a gap before a piece is read
// here, and what was never read (the zip directory, a sheet not imported) is read when the digest is asked for.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

export class FileDigest {
  private readonly hash = createHash('sha256');
  /** Bytes [0, done) are hashed. */
  private done = 0;
  private result: string | undefined;

  constructor(private readonly file: string) {}

  /** Bytes of the file starting at `pos`, as they were read. */
  update(pos: number, bytes: Uint8Array): void {
    if (this.result !== undefined) return;
    const end = pos + bytes.length;
    if (end <= this.done) return;
    if (pos > this.done) this.readTo(pos);
    this.hash.update(pos < this.done ? bytes.subarray(this.done - pos) : bytes);
    this.done = end;
  }

  /** The file's sha256 (hex): the rest of it is read now. */
  digest(): string {
    if (this.result === undefined) {
      this.readTo(Infinity);
      this.result = this.hash.digest('hex');
    }
    return this.result;
  }

  private readTo(pos: number): void {
    const fd = openSync(this.file, 'r');
    try {
      const buf = Buffer.allocUnsafe(1 << 20);
      while (this.done < pos) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, pos - this.done), this.done);
        if (n <= 0) break;
        this.hash.update(buf.subarray(0, n));
        this.done += n;
      }
    } finally {
      closeSync(fd);
    }
  }
}
