// GB18030/GBK text in which a line pasted from a UTF-8 file is read as UTF-8 (what the person typed) instead of as
// mojibake, and its line number is remembered so that the row can be flagged (REG_MIXED_ENCODING_UTF8).
import { isUtf8 } from 'node:buffer';
import { isChineseWords } from './utf8-bytes.js';

/** A line longer than this is read as GB18030 without the check (a file without line breaks must not be buffered whole). */
const MAX_LINE = 1 << 22;

/**
 * Decodes GB18030 bytes line by line (a line ends with 0x0A, which is never part of a GB18030 character). A line whose
 * bytes are valid UTF-8 with at least one multi-byte character, and read as UTF-8 are Chinese text with an ideograph,
 * is decoded as UTF-8 and its 1-based line number is appended to `utf8Lines`. GBK text is almost never valid UTF-8
 * (a lead byte E0–EF would need two continuation bytes 80–BF after it, over and over); the few GBK characters that are
 * (女 is C5 AE, read as Ů) do not read as Chinese.
 */
export class Gb18030Lines {
  private readonly dec = new TextDecoder('gb18030');
  private carry: Buffer | undefined;
  private line = 1;
  /** Bytes of a line longer than MAX_LINE were decoded as GB18030 already: the rest of that line is not checked. */
  private longLine = false;

  constructor(readonly utf8Lines: number[]) {}

  /** Text of the complete lines so far (the last, incomplete line is kept for the next chunk). */
  push(buf: Buffer): string {
    const data = this.carry ? Buffer.concat([this.carry, buf]) : buf;
    const end = data.lastIndexOf(10) + 1;
    if (end === 0) {
      if (data.length <= MAX_LINE) {
        this.carry = Buffer.from(data);
        return '';
      }
      this.carry = undefined;
      this.longLine = true;
      return this.dec.decode(data, { stream: true });
    }
    this.carry = end < data.length ? Buffer.from(data.subarray(end)) : undefined;
    return this.lines(data, end);
  }

  /** The rest of the text at the end of the file. */
  end(): string {
    const rest = this.carry ? this.lines(this.carry, this.carry.length) : '';
    this.carry = undefined;
    return rest + this.dec.decode();
  }

  private lines(data: Buffer, end: number): string {
    let out = '';
    let gbStart = 0;
    let pos = 0;
    while (pos < end) {
      let nl = data.indexOf(10, pos);
      if (nl < 0 || nl >= end) nl = end - 1;
      if (this.longLine) this.longLine = false;
      else if (nl > pos) {
        const bytes = data.subarray(pos, nl + 1);
        if (!isAscii(bytes) && isUtf8(bytes)) {
          const text = bytes.toString('utf8');
          if (isChineseWords(text.trimEnd())) {
            out += this.dec.decode(data.subarray(gbStart, pos)) + text;
            gbStart = nl + 1;
            this.utf8Lines.push(this.line);
          }
        }
      }
      this.line++;
      pos = nl + 1;
    }
    if (data[end - 1] !== 10) this.line--; // the file's last line has no line break
    return out + this.dec.decode(data.subarray(gbStart, end), { stream: true });
  }
}

function isAscii(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return false;
  return true;
}
