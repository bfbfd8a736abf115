// CSV files as a row source: UTF-8 (BOM or not) or GB18030/GBK detected, comma or tab detected, RFC 4180 quotes, embedded newlines, ragged rows.
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { GongweiError } from '../errors.js';
import type { Cell, SourceRow } from './cells.js';

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
 * Detect the encoding: a UTF-8 or UTF-16 BOM (Excel's "Unicode 文本" is UTF-16LE), else the first non-ASCII bytes
 * decide (valid UTF-8 → utf-8, otherwise gb18030).
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
        // Step back to a line start would be ideal; a sequence start is enough: bytes < 0x80 end any sequence.
        const end = Math.min(n, i + 65536);
        const slice = buf.subarray(i, end);
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(slice, { stream: true });
          return 'utf-8';
        } catch {
          return 'gb18030';
        }
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

/**
 * Comma or tab: the one that appears more often in the first lines of the (decoded) text, outside quotes.
 * Exports saved as "文本文件(制表符分隔)" or written by systems as .txt/.xls are tab-separated.
 */
export function detectDelimiter(file: string, encoding: CsvEncoding): ',' | '\t' {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = new TextDecoder(encoding).decode(buf.subarray(0, n));
    let commas = 0;
    let tabs = 0;
    let inQuotes = false;
    let lines = 0;
    for (let i = 0; i < text.length && lines < 50; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) inQuotes = !inQuotes;
      else if (inQuotes) continue;
      else if (c === 44) commas++;
      else if (c === 9) tabs++;
      else if (c === 10) lines++;
    }
    return tabs > commas ? '\t' : ',';
  } finally {
    closeSync(fd);
  }
}

/** Parse CSV text chunks into records, one batch per chunk. Quotes may span chunks and lines. */
export async function* parseCsvBatches(chunks: AsyncIterable<string>, sheet: string, delimiter: ',' | '\t' = ','): AsyncGenerator<SourceRow[]> {
  const sep = delimiter.charCodeAt(0);
  let row: Cell[] = [];
  let field = '';
  let inQuotes = false;
  let quotedField = false;
  let afterQuote = false;
  let rowNo = 1;
  let pendingCR = false;
  let first = true;
  for await (let chunk of chunks) {
    const out: SourceRow[] = [];
    if (first) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
    }
    const n = chunk.length;
    let i = 0;
    let start = 0; // start of the unquoted run being accumulated
    if (pendingCR) {
      pendingCR = false;
      if (n > 0 && chunk.charCodeAt(0) === 10) i = start = 1;
    }
    while (i < n) {
      if (inQuotes) {
        const q = chunk.indexOf('"', i);
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
        out.push({ sheet, row: rowNo, cells: row });
        row = [];
        rowNo++;
        if (c === 13) {
          if (i + 1 < n) {
            if (chunk.charCodeAt(i + 1) === 10) i++;
          } else pendingCR = true;
        }
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
    yield [{ sheet, row: rowNo, cells: row }];
  }
}

/** Parse CSV text chunks into records, one at a time. */
export async function* parseCsv(chunks: AsyncIterable<string>, sheet: string, delimiter: ',' | '\t' = ','): AsyncGenerator<SourceRow> {
  for await (const b of parseCsvBatches(chunks, sheet, delimiter)) yield* b;
}

/** Decoded text chunks of a file; `onBytes` sees every raw chunk (for the file's sha256 in the same pass). */
export async function* decodeFile(file: string, encoding: CsvEncoding, onBytes?: (b: Buffer) => void): AsyncGenerator<string> {
  const dec = new TextDecoder(encoding);
  for await (const buf of createReadStream(file, { highWaterMark: 1 << 18 })) {
    onBytes?.(buf as Buffer);
    const s = dec.decode(buf as Buffer, { stream: true });
    if (s) yield s;
  }
  const tail = dec.decode();
  if (tail) yield tail;
}

/** Rows of a CSV file (one "sheet" named after the file). */
export function csvRows(file: string, sheet: string, encoding?: string, onBytes?: (b: Buffer) => void): { encoding: CsvEncoding; delimiter: ',' | '\t'; rows: AsyncIterable<SourceRow[]> } {
  const enc = encoding ? normalizeEncoding(encoding) : detectEncoding(file);
  const delimiter = detectDelimiter(file, enc);
  return { encoding: enc, delimiter, rows: parseCsvBatches(decodeFile(file, enc, onBytes), sheet, delimiter) };
}
