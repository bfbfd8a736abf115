// A file as sheets of rows: the one shape import works on, whatever the format (CSV, xlsx).
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { csvRows, type CsvEncoding } from './csv-reader.js';
import { sniffFile, unsupportedError } from './sniff.js';

export type Cell = string | number | boolean | null;

/** A cell whose value the file does not hold faithfully: a formula without a stored result, or bytes that did not decode (U+FFFD). */
export interface Unreadable { col: number; why: 'formula' | 'bytes' }

export interface SourceRow {
  sheet: string;
  /** 1-based row number as the spreadsheet shows it. */
  row: number;
  cells: Cell[];
  /** Indices of numeric cells whose number format is a date (xlsx). */
  dateCols?: number[];
  /** Numeric cells shown zero-padded by their number format (xlsx `0000`): index and width. */
  padded?: { col: number; width: number }[];
  unreadable?: Unreadable[];
}

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
  /** For CSV: the sha256 of the bytes read so far (complete once all rows were read). */
  streamedDigest?: () => string;
}

interface XlsxWorkbook {
  sheets: { name: string; hidden: boolean }[];
  date1904: boolean;
  rows(sheet: string, onProgress?: (fraction: number) => void): AsyncIterable<Omit<SourceRow, 'sheet'>>;
}

// The xlsx helper's modules are loaded through a variable specifier so this file builds before they land.
async function optionalModule<T>(rel: string): Promise<T | undefined> {
  try {
    return (await import(rel)) as T;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const name = rel.replace('./', '').replace(/\.js$/, '');
    const missing = err?.code === 'ERR_MODULE_NOT_FOUND' || /cannot find|failed to load|does not exist/i.test(String(err?.message));
    if (missing && String(err?.message).includes(name)) return undefined;
    throw e;
  }
}

/** Open a register file as sheets of rows. Fatal problems (format, encryption, corruption) are GongweiErrors. */
export async function openSource(file: string, opts: { encoding?: string } = {}): Promise<FileSource> {
  const kind = sniffFile(file);
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
  const reader = await optionalModule<{ openWorkbook(f: string, o?: { maxInflatedBytes?: number }): Promise<XlsxWorkbook> }>('./xlsx-reader.js');
  const wb: XlsxWorkbook = reader ? await reader.openWorkbook(file) : await (await import('./xlsx-fallback.js')).openWorkbookWithExcelJS(file);
  return {
    kind: 'xlsx',
    date1904: wb.date1904,
    sheets: wb.sheets.map((s) => {
      let fraction = 0;
      return { name: s.name, hidden: s.hidden, rows: () => withSheet(wb.rows(s.name, (f) => (fraction = f)), s.name), progress: () => fraction };
    }),
  };
}

async function* withSheet(rows: AsyncIterable<Omit<SourceRow, 'sheet'>>, sheet: string): AsyncGenerator<SourceRow[]> {
  let batch: SourceRow[] = [];
  for await (const r of rows) {
    // Copied: a reader may reuse its arrays from row to row.
    const s: SourceRow = { sheet, row: r.row, cells: r.cells.slice(), dateCols: r.dateCols };
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
