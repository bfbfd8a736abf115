// A file as sheets of rows: the one shape import works on, whatever the format (CSV, xlsx).
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { csvRows, type CsvEncoding } from './csv-reader.js';
import type { SourceRow } from './cells.js';
import { sniffFile, unsupportedError, type SniffResult } from './sniff.js';
import { openWorkbook, type XlsxRow } from './xlsx-reader.js';

export type { Cell, SourceRow, Unreadable } from './cells.js';

export interface SheetSource {
  name: string;
  hidden: boolean;
  /** Rows in batches (a batch per CSV chunk, a few hundred xlsx rows): no await per row. */
  rows(): AsyncIterable<SourceRow[]>;
  /** The share of the sheet read so far (0–1), for a progress bar. */
  progress(): number;
}

export interface FileSource {
  kind: 'csv' | 'xlsx';
  date1904: boolean;
  encoding?: CsvEncoding;
  /** CSV: the field separator found (comma, tab or semicolon). */
  delimiter?: ',' | '\t' | ';';
  sheets: SheetSource[];
  /** The file's sha256 from the bytes read for the rows (CSV: complete once all rows were read; xlsx: the rest is read when asked). */
  streamedDigest?: () => string | Promise<string>;
  /** xlsx: the size of the workbook's shared strings as inflated (a reader of the file keeps them in memory). */
  sharedStringsBytes?: number;
  /** Stop reading (the preparing thread, when there is one). */
  close?: () => void;
}

/** Open a register file as sheets of rows (`kind`: the file's type when already sniffed). Fatal problems (format, encryption, corruption) are GongweiErrors. */
export async function openSource(file: string, opts: { encoding?: string; kind?: SniffResult } = {}): Promise<FileSource> {
  const kind = opts.kind ?? sniffFile(file);
  const base = path.basename(file, path.extname(file));
  if (kind === 'csv') {
    const h = createHash('sha256');
    const size = statSync(file).size;
    let read = 0;
    const { encoding, delimiter, rows } = csvRows(file, base, opts.encoding, (b) => {
      h.update(b);
      read += b.length;
    });
    const sheet = { name: base, hidden: false, rows: () => rows, progress: () => (size > 0 ? read / size : 1) };
    return { kind: 'csv', date1904: false, encoding, delimiter, sheets: [sheet], streamedDigest: () => h.digest('hex') };
  }
  const unsupported = unsupportedError(kind, file);
  if (unsupported) throw unsupported;
  return openXlsxSource(file);
}

/** An xlsx workbook as sheets of rows (the file's type already known); its sha256 from the bytes read for the rows. */
export async function openXlsxSource(file: string): Promise<FileSource> {
  const wb = await openWorkbook(file, { hash: true });
  return {
    kind: 'xlsx',
    date1904: wb.date1904,
    sheets: wb.sheets.map((s) => {
      let fraction = 0;
      return { name: s.name, hidden: s.hidden, rows: () => withSheet(wb.rows(s.name, (f) => (fraction = f)), s.name), progress: () => fraction };
    }),
    streamedDigest: wb.sha256,
    sharedStringsBytes: wb.sharedStringsBytes,
    close: () => void wb.close(),
  };
}

async function* withSheet(rows: AsyncIterable<XlsxRow>, sheet: string): AsyncGenerator<SourceRow[]> {
  let batch: SourceRow[] = [];
  for await (const r of rows) {
    // The reader gives a new cells array per row and keeps none: no copy.
    const s: SourceRow = { sheet, row: r.row, cells: r.cells, dateCols: r.dateCols };
    if (r.padded) s.padded = r.padded;
    if (r.unreadable) s.unreadable = r.unreadable;
    batch.push(s);
    if (batch.length >= 256) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
