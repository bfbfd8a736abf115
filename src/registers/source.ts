// A file as sheets of rows: the one shape import works on, whatever the format (CSV, xlsx).
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { GongweiError, fsError } from '../errors.js';
import { csvRows, type CsvEncoding } from './csv-reader.js';

export type Cell = string | number | boolean | null;

export interface SourceRow {
  sheet: string;
  /** 1-based row number as the spreadsheet shows it. */
  row: number;
  cells: Cell[];
  /** Indices of numeric cells whose number format is a date (xlsx). */
  dateCols?: number[];
}

export interface SheetSource {
  name: string;
  hidden: boolean;
  /** Rows in batches (a batch per CSV chunk, a few hundred xlsx rows): no await per row. */
  rows(): AsyncIterable<SourceRow[]>;
}

export interface FileSource {
  kind: 'csv' | 'xlsx';
  date1904: boolean;
  encoding?: CsvEncoding;
  sheets: SheetSource[];
  /** For CSV: the sha256 of the bytes read so far (complete once all rows were read). */
  streamedDigest?: () => string;
}

type Sniff = 'xlsx' | 'csv' | 'xls' | 'encrypted' | 'unknown';

interface XlsxWorkbook {
  sheets: { name: string; hidden: boolean }[];
  date1904: boolean;
  rows(sheet: string): AsyncIterable<{ row: number; cells: Cell[]; dateCols?: number[] }>;
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

/** What kind of file this is, by content. Errors: 0-byte, directory, missing file (GongweiError). */
export async function sniff(file: string): Promise<Sniff> {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw fsError(e, file);
  }
  if (st.isDirectory()) throw new GongweiError('FILE_IS_DIRECTORY', `这是一个目录，不是文件：${file}`, { hint: '请指定目录中的 xlsx/csv 文件，例如 目录/*.xlsx。' });
  if (st.size === 0) throw new GongweiError('REG_FILE_EMPTY', `文件是空的（0 字节）：${file}`);
  const mod = await optionalModule<{ sniffFile(f: string): Promise<Sniff> | Sniff }>('./sniff.js');
  if (mod) return await mod.sniffFile(file);
  const { openSync, readSync, closeSync } = await import('node:fs');
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(8);
  readSync(fd, head, 0, 8, 0);
  closeSync(fd);
  if (head[0] === 0x50 && head[1] === 0x4b) return 'xlsx';
  if (head.readUInt32BE(0) === 0xd0cf11e0) return /\.xls$/i.test(file) ? 'xls' : 'encrypted';
  const ext = path.extname(file).toLowerCase();
  return ext === '.csv' || ext === '.txt' || ext === '' ? 'csv' : 'unknown';
}

/** Open a register file as sheets of rows. Fatal problems (format, encryption, corruption) are GongweiErrors. */
export async function openSource(file: string, opts: { encoding?: string } = {}): Promise<FileSource> {
  const kind = await sniff(file);
  const base = path.basename(file, path.extname(file));
  if (kind === 'csv') {
    const h = createHash('sha256');
    const { encoding, rows } = csvRows(file, base, opts.encoding, (b) => h.update(b));
    return { kind: 'csv', date1904: false, encoding, sheets: [{ name: base, hidden: false, rows: () => rows }], streamedDigest: () => h.digest('hex') };
  }
  if (kind === 'xls') {
    throw new GongweiError('REG_XLS_UNSUPPORTED', `不支持旧版 Excel 97-2003 格式（.xls）：${file}`, {
      hint: '请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx）或 CSV，再导入。',
    });
  }
  if (kind === 'encrypted') {
    throw new GongweiError('REG_XLSX_ENCRYPTED', `工作簿设置了打开密码，无法读取：${file}`, { hint: '请在 Excel/WPS 中取消密码后另存为 xlsx 再导入。' });
  }
  if (kind !== 'xlsx') {
    throw new GongweiError('REG_FILE_FORMAT', `无法识别的文件格式：${file}`, { hint: '支持 .xlsx 和 .csv（UTF-8 或 GB18030/GBK）。' });
  }
  const reader = await optionalModule<{ openWorkbook(f: string, o?: { maxInflatedBytes?: number }): Promise<XlsxWorkbook> }>('./xlsx-reader.js');
  const wb: XlsxWorkbook = reader ? await reader.openWorkbook(file) : await (await import('./xlsx-fallback.js')).openWorkbookWithExcelJS(file);
  return {
    kind: 'xlsx',
    date1904: wb.date1904,
    sheets: wb.sheets.map((s) => ({
      name: s.name,
      hidden: s.hidden,
      rows: () => withSheet(wb.rows(s.name), s.name),
    })),
  };
}

async function* withSheet(rows: AsyncIterable<{ row: number; cells: Cell[]; dateCols?: number[] }>, sheet: string): AsyncGenerator<SourceRow[]> {
  let batch: SourceRow[] = [];
  for await (const r of rows) {
    // Copied: a reader may reuse its arrays from row to row.
    batch.push({ sheet, row: r.row, cells: r.cells.slice(), dateCols: r.dateCols });
    if (batch.length >= 256) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
