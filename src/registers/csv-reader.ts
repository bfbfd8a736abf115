// CSV files as a row source: UTF-8 (BOM or not) or GB18030/GBK detected, comma, tab or semicolon detected, RFC 4180 quotes, embedded newlines, ragged rows, bytes that do not decode marked per cell.
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { GongweiError } from '../errors.js';
import type { Cell, SourceRow, Unreadable } from './cells.js';
import { Gb18030Lines } from './gb-lines.js';
import { BAD_CHARS, completeUtf8End, decodeUtf8KeepingBytes, isChineseText, readAsGb18030, replacementShown } from './utf8-bytes.js';

export type CsvEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

const SNIFF_BYTES = 1 << 20;

/** Normalise an --encoding value (utf8, UTF-8, gbk, gb2312, gb18030 …). */
export function normalizeEncoding(name: string): CsvEncoding {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (n === 'utf8' || n === 'utf8bom') return 'utf-8';
  if (n === 'gbk' || n === 'gb2312' || n === 'gb18030' || n === 'cp936' || n === 'ansi') return 'gb18030';
  if (n === 'utf16' || n === 'utf16le' || n === 'unicode' || n === 'ucs2') return 'utf-16le';
  if (n === 'utf16be') return 'utf-16be';
  throw new GongweiError('CSV_ENCODING_UNKNOWN', `不支持的编码：${name}`, { hint: '可用：utf-8、gb18030（包括 gbk、gb2312）、utf-16。' });
}

/**
 * Detect the encoding: a UTF-8 or UTF-16 BOM (Excel's "Unicode 文本" is UTF-16LE), else the first 64 KB from the
 * first non-ASCII byte decide (valid UTF-8, or at least four valid characters to each bad byte → utf-8, otherwise gb18030).
 * Scans past pure-ASCII regions so a long ASCII start does not hide a GBK file.
 */
export function detectEncoding(file: string): CsvEncoding {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(SNIFF_BYTES);
    let pos = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, SNIFF_BYTES, pos);
      if (n <= 0) return 'utf-8';
      if (pos === 0 && n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf-8';
      if (pos === 0 && n >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
      if (pos === 0 && n >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
      let i = 0;
      while (i < n && buf[i]! < 0x80) i++;
      if (i < n) {
        // A sequence start is enough (bytes < 0x80 end any sequence). Mostly valid UTF-8 is UTF-8 with a few bad bytes
        // (a GBK row pasted into a UTF-8 export: reported per row); GBK read as UTF-8 is almost all invalid.
        const text = new TextDecoder('utf-8').decode(buf.subarray(i, Math.min(n, i + 65536)), { stream: true });
        let bad = 0;
        let good = 0;
        for (let k = 0; k < text.length; k++) {
          const c = text.charCodeAt(k);
          if (c === 0xfffd) bad++;
          else if (c >= 0x80) good++;
        }
        return bad === 0 || good >= 4 * bad ? 'utf-8' : 'gb18030';
      }
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** `="0012"`: the formula-literal some systems write so that Excel keeps leading zeros and long numbers; the text inside. */
function unformula(f: string): string {
  const m = /^="([\s\S]*)"$/.exec(f);
  return m ? m[1]!.replace(/""/g, '"') : f;
}

export type CsvDelimiter = ',' | '\t' | ';';

/**
 * Comma, tab or semicolon: the one that appears most often in the first lines of the (decoded) text, outside quotes
 * (a tie goes to the comma). Exports saved as "文本文件(制表符分隔)" or written by systems as .txt/.xls are
 * tab-separated; Excel in some locales writes `;`.
 */
export function detectDelimiter(file: string, encoding: CsvEncoding): CsvDelimiter {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = new TextDecoder(encoding).decode(buf.subarray(0, n));
    let commas = 0;
    let tabs = 0;
    let semis = 0;
    let inQuotes = false;
    let lines = 0;
    for (let i = 0; i < text.length && lines < 50; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) inQuotes = !inQuotes;
      else if (inQuotes) continue;
      else if (c === 44) commas++;
      else if (c === 9) tabs++;
      else if (c === 59) semis++;
      else if (c === 10) lines++;
    }
    if (tabs > commas && tabs >= semis) return '\t';
    if (semis > commas && semis > tabs) return ';';
    return ',';
  } finally {
    closeSync(fd);
  }
}

/**
 * The cells of a row holding bytes that did not decode (U+FFFD, a NUL byte, or bytes a UTF-8 file kept); the cells show
 * U+FFFD in their place, as Excel does. Kept bytes that are Chinese text in GB18030 (a GBK row pasted into a UTF-8
 * export) carry that text, so the rejected row can show what the person typed.
 */
function badCells(row: Cell[]): Unreadable[] | undefined {
  let out: Unreadable[] | undefined;
  for (let i = 0; i < row.length; i++) {
    const c = row[i];
    if (typeof c !== 'string' || !BAD_CHARS.test(c)) continue;
    const gb = readAsGb18030(c);
    row[i] = replacementShown(c);
    (out ??= []).push(gb === undefined ? { col: i, why: 'bytes' } : { col: i, why: 'gb18030', text: gb });
  }
  if (out?.some((u) => u.why === 'gb18030')) {
    // The other cells of a GBK row: some GBK bytes happen to be UTF-8 too (女 is C5 AE, read as Ů).
    for (let i = 0; i < row.length; i++) {
      const c = row[i];
      if (typeof c !== 'string' || out.some((u) => u.col === i) || isChineseText(c)) continue;
      const gb = readAsGb18030(c);
      if (gb !== undefined) out.push({ col: i, why: 'gb18030', text: gb });
    }
    out.sort((a, b) => a.col - b.col);
  }
  return out;
}

/**
 * Parse CSV text chunks into records, one batch per chunk. Quotes may span chunks and lines. `utf8Lines` (filled by the
 * decoder, ascending, before it yields the chunk holding them): physical lines (counted by LF) read as UTF-8 in a GB18030
 * file; a record spanning one of them gets `utf8Line`. Without it (any other encoding) line breaks inside quotes are not
 * counted.
 */
export async function* parseCsvBatches(chunks: AsyncIterable<string>, sheet: string, delimiter: CsvDelimiter = ',', utf8Lines?: readonly number[]): AsyncGenerator<SourceRow[]> {
  const sep = delimiter.charCodeAt(0);
  const countLines = utf8Lines !== undefined;
  utf8Lines ??= [];
  let row: Cell[] = [];
  let field = '';
  let inQuotes = false;
  let quotedField = false;
  let afterQuote = false;
  let rowNo = 1;
  let pendingCR = false;
  let first = true;
  // Bytes that did not decode are U+FFFD in the text (a NUL byte is made one too): a row that touched such a chunk has
  // its cells checked, so each affected cell is reported.
  let rowBad = false;
  // Physical line (LF) at the current position, at the start of the current record, and the next utf8Lines entry to test.
  let line = 1;
  let recLine = 1;
  let u = 0;
  const mark = (rec: SourceRow): void => {
    while (u < utf8Lines.length && utf8Lines[u]! < recLine) u++;
    if (u < utf8Lines.length && utf8Lines[u]! <= line) rec.utf8Line = utf8Lines[u]!;
  };
  for await (let chunk of chunks) {
    const out: SourceRow[] = [];
    if (first) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
    }
    if (chunk.indexOf('\0') >= 0) chunk = chunk.replace(/\0/g, '\uFFFD');
    const badHere = BAD_CHARS.test(chunk);
    if (badHere) rowBad = true;
    const n = chunk.length;
    let i = 0;
    let start = 0; // start of the unquoted run being accumulated
    if (pendingCR) {
      pendingCR = false;
      if (n > 0 && chunk.charCodeAt(0) === 10) {
        i = start = 1;
        recLine = ++line;
      }
    }
    while (i < n) {
      if (inQuotes) {
        const q = chunk.indexOf('"', i);
        // Line breaks inside quotes count as physical lines, for the UTF-8 lines of a GB18030 file (only then).
        if (countLines) {
          const part = q < 0 ? chunk.slice(i) : chunk.slice(i, q);
          for (let k = part.indexOf('\n'); k >= 0; k = part.indexOf('\n', k + 1)) line++;
        }
        if (q < 0) {
          field += chunk.slice(i);
          i = n;
          start = n;
          break;
        }
        if (q + 1 < n) {
          field += chunk.slice(i, q);
          if (chunk.charCodeAt(q + 1) === 34) {
            field += '"';
            i = q + 2;
          } else {
            inQuotes = false;
            afterQuote = true;
            i = q + 1;
          }
          start = i;
          continue;
        }
        // Quote at the very end of the chunk: decide with the next chunk.
        field += chunk.slice(i, q);
        inQuotes = false;
        afterQuote = true;
        i = n;
        start = n;
        // A following chunk starting with '"' means an escaped quote: handled below via afterQuote.
        break;
      }
      const c = chunk.charCodeAt(i);
      if (c === sep) {
        field += chunk.slice(start, i);
        row.push(field.charCodeAt(0) === 61 ? unformula(field) : field);
        field = '';
        quotedField = afterQuote = false;
        i++;
        start = i;
      } else if (c === 10 || c === 13) {
        field += chunk.slice(start, i);
        row.push(field.charCodeAt(0) === 61 ? unformula(field) : field);
        field = '';
        quotedField = afterQuote = false;
        const rec: SourceRow = { sheet, row: rowNo, cells: row };
        if (rowBad) {
          const bad = badCells(row);
          if (bad) rec.unreadable = bad;
          rowBad = badHere;
        }
        if (u < utf8Lines.length) mark(rec);
        out.push(rec);
        row = [];
        rowNo++;
        if (c === 13) {
          if (i + 1 < n) {
            if (chunk.charCodeAt(i + 1) === 10) {
              i++;
              line++;
            }
          } else pendingCR = true;
        } else line++;
        recLine = line;
        i++;
        start = i;
      } else if (c === 34 /* " */) {
        if (afterQuote) {
          // `""` split across chunks, or `"a"b"`: keep the quote literally and continue quoted.
          field += '"';
          inQuotes = true;
          afterQuote = false;
          i++;
          start = i;
        } else if (start === i && field === '' && !quotedField) {
          inQuotes = true;
          quotedField = true;
          i++;
          start = i;
        } else i++;
      } else {
        if (afterQuote) afterQuote = false;
        i++;
      }
    }
    if (start < n) field += chunk.slice(start, n);
    if (out.length) yield out;
  }
  if (field !== '' || row.length > 0 || inQuotes) {
    row.push(field.charCodeAt(0) === 61 ? unformula(field) : field);
    const rec: SourceRow = { sheet, row: rowNo, cells: row };
    const bad = badCells(row);
    if (bad) rec.unreadable = bad;
    if (u < utf8Lines.length) mark(rec);
    yield [rec];
  }
}

/** Parse CSV text chunks into records, one at a time. */
export async function* parseCsv(chunks: AsyncIterable<string>, sheet: string, delimiter: CsvDelimiter = ','): AsyncGenerator<SourceRow> {
  for await (const b of parseCsvBatches(chunks, sheet, delimiter)) yield* b;
}

/**
 * Decoded text chunks of a file; `onBytes` sees every raw chunk (for the file's sha256 in the same pass). UTF-8 keeps
 * the bytes that are not UTF-8 (see utf8-bytes.ts) so that their cells can be told apart; other encodings give U+FFFD.
 * GB18030: a line pasted from a UTF-8 file is read as UTF-8 and its line number appended to `utf8Lines` (gb-lines.ts).
 */
export async function* decodeFile(file: string, encoding: CsvEncoding, onBytes?: (b: Buffer) => void, utf8Lines: number[] = []): AsyncGenerator<string> {
  const stream = createReadStream(file, { highWaterMark: 1 << 18 });
  if (encoding === 'utf-8') {
    let carry: Buffer | undefined;
    for await (const buf of stream) {
      onBytes?.(buf as Buffer);
      const data = carry ? Buffer.concat([carry, buf as Buffer]) : (buf as Buffer);
      const end = completeUtf8End(data);
      carry = end < data.length ? Buffer.from(data.subarray(end)) : undefined;
      const s = decodeUtf8KeepingBytes(data.subarray(0, end));
      if (s) yield s;
    }
    if (carry) yield decodeUtf8KeepingBytes(carry);
    return;
  }
  if (encoding === 'gb18030') {
    const lines = new Gb18030Lines(utf8Lines);
    for await (const buf of stream) {
      onBytes?.(buf as Buffer);
      const s = lines.push(buf as Buffer);
      if (s) yield s;
    }
    const tail = lines.end();
    if (tail) yield tail;
    return;
  }
  const dec = new TextDecoder(encoding);
  for await (const buf of stream) {
    onBytes?.(buf as Buffer);
    const s = dec.decode(buf as Buffer, { stream: true });
    if (s) yield s;
  }
  const tail = dec.decode();
  if (tail) yield tail;
}

/** Rows of a CSV file (one "sheet" named after the file); the encoding and the delimiter are detected unless given. */
export function csvRows(file: string, sheet: string, encoding?: string, onBytes?: (b: Buffer) => void, delimiter?: CsvDelimiter): { encoding: CsvEncoding; delimiter: CsvDelimiter; rows: AsyncIterable<SourceRow[]> } {
  const enc = encoding ? normalizeEncoding(encoding) : detectEncoding(file);
  delimiter ??= detectDelimiter(file, enc);
  // Only a GB18030 file can have lines read as UTF-8 (gb-lines.ts): the parser counts physical lines for those alone.
  const utf8Lines: number[] | undefined = enc === 'gb18030' ? [] : undefined;
  return { encoding: enc, delimiter, rows: parseCsvBatches(decodeFile(file, enc, onBytes, utf8Lines), sheet, delimiter, utf8Lines) };
}
