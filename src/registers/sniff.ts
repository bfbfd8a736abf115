// File type by magic bytes: xlsx (zip), OpenDocument spreadsheet (zip), xls or password-protected workbook (OLE compound file), csv, unknown.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { GongweiError, fsError } from '../errors.js';
import { assertRegularFile } from '../files.js';

export type SniffResult = 'xlsx' | 'ods' | 'csv' | 'xls' | 'encrypted' | 'html' | 'unknown';

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');
const ENCRYPTION_INFO = Buffer.from('EncryptionInfo', 'utf16le');
const WORKBOOK = Buffer.from('Workbook', 'utf16le');
const BOOK = Buffer.from('Book', 'utf16le');
const ODS_MIME = Buffer.from('application/vnd.oasis.opendocument.spreadsheet');

/** Read up to n bytes at a position. */
function readAt(fd: number, n: number, pos: number): Buffer {
  const b = Buffer.alloc(n);
  const got = readSync(fd, b, 0, n, pos);
  return b.subarray(0, got);
}

/** OLE compound file: scan the directory sectors for stream names (UTF-16LE). The directory of a small file sits anywhere, so read up to 64 MB. */
function oleKind(fd: number, size: number, file: string): SniffResult {
  const body = readAt(fd, Math.min(size, 64 * 1048576), 0);
  if (body.includes(ENCRYPTED_PACKAGE) || body.includes(ENCRYPTION_INFO)) return 'encrypted';
  if (body.includes(WORKBOOK) || body.includes(BOOK)) return 'xls';
  return /\.xlsx?$/i.test(file) ? 'xls' : 'unknown';
}

/**
 * What kind of file this is, by content. Throws GongweiError for a missing file (FILE_NOT_FOUND),
 * a directory (FILE_IS_DIRECTORY) and a 0-byte file (REG_FILE_EMPTY).
 */
export function sniffFile(file: string): SniffResult {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw fsError(e, file);
  }
  if (st.isDirectory()) throw new GongweiError('FILE_IS_DIRECTORY', `这是一个目录，不是文件：${file}`, { hint: '请指定目录中的 xlsx/csv 文件，例如 目录/*.xlsx。' });
  if (!st.isFile()) assertRegularFile(file); // a FIFO or a device: FILE_NOT_REGULAR, never opened
  if (st.size === 0) throw new GongweiError('REG_FILE_EMPTY', `文件是空的（0 字节）：${file}`);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw fsError(e, file);
  }
  try {
    const head = readAt(fd, 8, 0);
    if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5 || head[2] === 7)) {
      // An OpenDocument file starts with its uncompressed `mimetype` entry.
      return readAt(fd, 128, 0).includes(ODS_MIME) ? 'ods' : 'xlsx';
    }
    if (head.length === 8 && head.equals(OLE_MAGIC)) return oleKind(fd, st.size, file);
    const ext = path.extname(file).toLowerCase();
    const block = readAt(fd, 4096, 0);
    const utf16 = (block[0] === 0xff && block[1] === 0xfe) || (block[0] === 0xfe && block[1] === 0xff);
    // A few NUL bytes in a text file are bad bytes of their rows (reported there); binary content has many.
    let nuls = 0;
    for (const b of block) if (b === 0) nuls++;
    const binary = !utf16 && nuls >= 2 && nuls * 100 > block.length;
    // BIFF2-4 .xls (no OLE container) starts with a BOF record.
    if (ext === '.xls' && binary && (head[0] === 0x09 || head[0] === 0x00)) return 'xls';
    // Other binary content (NUL bytes in the first block) is not a CSV.
    if (binary) return 'unknown';
    // A web page or SpreadsheetML 2003 saved as .xls by a system's "导出Excel".
    if (!utf16 && /^(\ufeff|\s)*</.test(block.toString('latin1').replace(/^\xef\xbb\xbf/, ''))) return ext === '.csv' ? 'csv' : 'html';
    // Text: a CSV, or the tab-separated text many systems write with an .xls name.
    return ext === '.csv' || ext === '.txt' || ext === '.tsv' || ext === '' || ext === '.xls' || ext === '.xlsx' ? 'csv' : 'unknown';
  } finally {
    closeSync(fd);
  }
}

/** The error to throw for a file that is not importable, by its sniffed kind (undefined for xlsx/csv). */
export function unsupportedError(kind: SniffResult, file: string): GongweiError | undefined {
  switch (kind) {
    case 'xls':
      return new GongweiError('REG_XLS_UNSUPPORTED', `不支持旧版 Excel 97-2003 格式（.xls）：${file}`, {
        hint: '请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx）再导入；或运行 soffice --headless --convert-to xlsx 文件.xls',
      });
    case 'ods':
      return new GongweiError('REG_ODS_UNSUPPORTED', `这是 OpenDocument 电子表格（.ods，LibreOffice/WPS 的开放格式），不是 xlsx：${file}`, {
        hint: '请用 LibreOffice 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx）再导入；或运行 soffice --headless --convert-to xlsx 该文件',
      });
    case 'encrypted':
      return new GongweiError('REG_XLSX_ENCRYPTED', `工作簿设置了打开密码，无法读取：${file}`, {
        hint: '请在 Excel/WPS 中打开该文件，依次点“文件 → 信息 → 保护工作簿 → 用密码进行加密”，清空密码后保存，再导入。',
      });
    case 'html':
      return new GongweiError('REG_XLS_HTML', `文件扩展名是 Excel，但内容是网页（HTML/XML）表格，不是真正的 Excel 工作簿：${file}`, {
        hint: '一些系统的“导出Excel”会生成这种文件。请用 Excel 或 WPS 打开它，再“另存为”Excel 工作簿（*.xlsx）或 CSV 后导入；或运行 soffice --headless --convert-to xlsx 该文件',
      });
    case 'unknown':
      return new GongweiError('REG_FILE_FORMAT', `无法识别的文件格式：${file}`, { hint: '支持 .xlsx 和 .csv（UTF-8 或 GB18030/GBK）。' });
    default:
      return undefined;
  }
}
