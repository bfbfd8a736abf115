// Open a plan document whatever it is (Word, WPS, text, Markdown, old .doc …) by its content, not its name; anything else gets a Chinese error with a stable code.
import path from 'node:path';
import { unzipSync } from 'fflate';
import { GongweiError } from '../errors.js';
import { assertRegularFile, readBoundedFile } from '../files.js';
import type { SourceDoc } from './blocks.js';
import { readDocx } from './read-docx.js';
import { convertToDocx } from './read-legacy.js';
import { readText } from './read-text.js';

const MAX_BYTES = 50 * 1048576;

const startsWith = (b: Uint8Array, ...bytes: number[]) => bytes.every((x, i) => b[i] === x);
const ascii = (b: Uint8Array, n: number) => Buffer.from(b.subarray(0, n)).toString('latin1');
const utf16 = (s: string) => Buffer.from(s, 'utf16le');

/** Names of the streams in an OLE compound file (old Office formats), found in its directory entries. */
function oleKind(buf: Buffer): 'encrypted' | 'spreadsheet' | 'presentation' | 'word' | 'unknown' {
  if (buf.includes(utf16('EncryptedPackage')) || buf.includes(utf16('EncryptionInfo'))) return 'encrypted';
  if (buf.includes(utf16('WordDocument'))) return 'word';
  if (buf.includes(utf16('Workbook')) || buf.includes(utf16('Book'))) return 'spreadsheet';
  if (buf.includes(utf16('PowerPoint Document'))) return 'presentation';
  return 'unknown';
}

function notAPlan(code: string, what: string, file: string, hint?: string): GongweiError {
  return new GongweiError(code, `${what}，不是计划文档，无法导入：${file}`, { hint });
}

const SPREADSHEET_HINT = '计划导入只读 Word/WPS 文档和文本文件；登记表请用 gongwei registers import 导入。';

/** Read a plan document into blocks. Throws GongweiError (exit 2) for what cannot be read. */
export function readSource(file: string): SourceDoc {
  let buf: Buffer;
  try {
    if (file !== '-') assertRegularFile(file);
    buf = readBoundedFile(file, MAX_BYTES);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FILE_IS_DIRECTORY') throw new GongweiError('FILE_IS_DIRECTORY', `这是一个目录，不是文件：${file}`, { hint: '请指定一个计划文档（.docx、.doc、.wps、.txt、.md）。' });
    if (code === 'FILE_TOO_LARGE') throw new GongweiError('PLAN_IMPORT_TOO_LARGE', `文件超过 50 MB，不像是一份计划：${file}`);
    throw e;
  }
  if (buf.length === 0) throw new GongweiError('PLAN_IMPORT_EMPTY', `文件是空的（0 字节）：${file}`);
  const ext = path.extname(file).toLowerCase();
  const named = ext ? `（扩展名是 ${ext}）` : '';

  if (ascii(buf, 5) === '%PDF-') {
    throw notAPlan('PLAN_IMPORT_PDF', `这是一个 PDF 文件${ext === '.pdf' ? '' : named}`, file, 'PDF（特别是扫描成图片的 PDF）读不出可靠的段落和编号：请找原来的 Word/WPS 文档；只有 PDF 时，可先用 WPS 的“PDF 转 Word”转成 .docx 并核对后再导入。');
  }
  if (startsWith(buf, 0x89, 0x50, 0x4e, 0x47) || startsWith(buf, 0xff, 0xd8, 0xff) || ascii(buf, 4) === 'GIF8' || ascii(buf, 2) === 'BM' || ascii(buf, 4) === 'II*\0' || ascii(buf, 4) === 'MM\0*' || (ascii(buf, 4) === 'RIFF' && ascii(buf.subarray(8), 4) === 'WEBP')) {
    throw notAPlan('PLAN_IMPORT_IMAGE', `这是一张图片${named}`, file, '图片里的文字无法直接读取：请找原来的电子文档，或先用 WPS/Word 的“图片转文字”转成文字再导入。');
  }
  if (startsWith(buf, 0x50, 0x4b) && (buf[2] === 3 || buf[2] === 5 || buf[2] === 7)) return readZip(buf, file, ext);
  if (startsWith(buf, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
    switch (oleKind(buf)) {
      case 'encrypted':
        throw new GongweiError('PLAN_IMPORT_ENCRYPTED', `文档设置了打开密码，无法读取：${file}`, { hint: '请在 Word/WPS 中打开，点“文件 → 信息 → 保护文档 → 用密码进行加密”，清空密码后保存，再导入。' });
      case 'spreadsheet':
        throw notAPlan('PLAN_IMPORT_SPREADSHEET', `这是一个 Excel 表格${named}`, file, SPREADSHEET_HINT);
      case 'presentation':
        throw notAPlan('PLAN_IMPORT_PRESENTATION', `这是一个 PowerPoint 演示文稿${named}`, file);
      default:
        return converted(file, ext === '.wps' ? 'WPS 文字文件（.wps）' : '旧版 Word 文件（.doc）', buf);
    }
  }
  const head = ascii(buf, 512).replace(/^\xef\xbb\xbf/, '').trimStart();
  if (head.startsWith('{\\rtf')) return converted(file, 'RTF 文件', buf);
  const utf16Bom = startsWith(buf, 0xff, 0xfe) || startsWith(buf, 0xfe, 0xff);
  if (!utf16Bom && buf.subarray(0, 8192).includes(0)) {
    throw notAPlan('PLAN_IMPORT_UNSUPPORTED', `无法识别的二进制文件${named}`, file, '请导入 Word/WPS 文档（.docx、.doc、.wps）或文本文件（.txt、.md）。');
  }
  if (/^(<!doctype html|<html|<\?xml[^>]*>\s*<\?mso-application progid="Word|mime-version:)/i.test(head)) return converted(file, '网页格式（HTML/MHT/Word XML）的文档', buf);
  if (['.csv', '.tsv', '.xls', '.xlsx', '.et'].includes(ext)) throw notAPlan('PLAN_IMPORT_SPREADSHEET', `这是一个表格文件${named}`, file, SPREADSHEET_HINT);
  const doc = readText(buf, file, ext === '.md' || ext === '.markdown');
  if (!doc.blocks.some((b) => b.kind !== 'blank')) throw new GongweiError('PLAN_IMPORT_EMPTY', `文件里没有文字：${file}`);
  if (['.docx', '.doc', '.wps'].includes(ext)) {
    doc.notes.push({ code: 'IMPORT_PLAIN_TEXT', severity: 'info', message: `文件扩展名是 ${ext}，内容却是纯文本（${doc.encoding}），按文本读取` });
  }
  return doc;
}

function converted(file: string, kindName: string, source: Buffer): SourceDoc {
  const bytes = convertToDocx(file, kindName, source);
  const doc = readZip(Buffer.from(bytes), file, '.docx');
  doc.format = 'converted';
  doc.notes.unshift({ code: 'IMPORT_CONVERTED', severity: 'info', message: `${kindName}已由 LibreOffice 转换为 .docx 后读取；自动编号和样式可能有出入，请核对` });
  return doc;
}

const WANTED = new Set(['word/document.xml', 'word/styles.xml', 'word/numbering.xml', 'mimetype']);

function readZip(buf: Buffer, file: string, ext: string): SourceDoc {
  const names: string[] = [];
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(buf, {
      filter: (f) => {
        names.push(f.name);
        return WANTED.has(f.name) && f.originalSize < MAX_BYTES * 4;
      },
    });
  } catch (e) {
    throw new GongweiError('PLAN_IMPORT_BAD_DOCX', `文件已损坏或不完整，无法解压：${file}`, { hint: '请用 Word 或 WPS 打开后“另存为”一个新的 .docx 文件再导入。', cause: e });
  }
  const named = ext ? `（扩展名是 ${ext}）` : '';
  if (files['word/document.xml']) return readDocx(files, file, names);
  const mimetype = files.mimetype ? Buffer.from(files.mimetype).toString('latin1') : '';
  if (names.includes('xl/workbook.xml') || mimetype.includes('spreadsheet')) throw notAPlan('PLAN_IMPORT_SPREADSHEET', `这是一个 Excel 表格${named}`, file, SPREADSHEET_HINT);
  if (names.includes('ppt/presentation.xml') || mimetype.includes('presentation')) throw notAPlan('PLAN_IMPORT_PRESENTATION', `这是一个演示文稿${named}`, file);
  if (mimetype.includes('opendocument.text')) return converted(file, 'OpenDocument 文本（.odt）', buf);
  throw notAPlan('PLAN_IMPORT_NOT_DOCX', `这是一个压缩包${named}，里面没有 Word 文档的正文`, file, '请导入 Word/WPS 文档（.docx、.doc、.wps）或文本文件（.txt、.md）。');
}
