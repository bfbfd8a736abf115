// Fast streaming xlsx sheet reader: own zip directory + node:zlib inflate, a forward scanner over the sheet XML, rows yielded as they complete.
import { GongweiError } from '../errors.js';
import { ZipFile, corrupt } from './xlsx/zip.js';
import { attr, isDateFormat } from './xlsx/xml.js';
import { readSharedStrings, sharedStringsOf } from './xlsx/shared-strings.js';
import { sheetRows } from './xlsx/sheet-rows.js';
import { FileDigest } from './xlsx/file-digest.js';
import type { XlsxRow } from './xlsx/types.js';

export type { XlsxCell, XlsxRow } from './xlsx/types.js';
export { columnIndex } from './xlsx/row-cells.js';

export interface Workbook {
  sheets: { name: string; hidden: boolean }[];
  date1904: boolean;
  /** The size of the shared strings part as inflated (0: none). */
  sharedStringsBytes: number;
  /** `onProgress` gets the share of the sheet read so far (0–1). */
  rows(sheetName: string, onProgress?: (fraction: number) => void): AsyncIterable<XlsxRow>;
  close(): Promise<void>;
  /** Opened with `hash`: the file's sha256, from the bytes read so far and the rest read now. */
  sha256?: () => string;
}

export const DEFAULT_MAX_INFLATED_BYTES = 4 * 1024 * 1024 * 1024;

function resolveTarget(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

/** Open an xlsx workbook: sheet list, date system, and a streaming row reader per sheet. */
export async function openWorkbook(file: string, opts: { maxInflatedBytes?: number; hash?: boolean } = {}): Promise<Workbook> {
  const digest = opts.hash ? new FileDigest(file) : undefined;
  const zip = await ZipFile.open(file, opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES, digest);
  try {
    const wb = await readWorkbook(zip, file);
    if (digest) wb.sha256 = () => digest.digest();
    return wb;
  } catch (e) {
    await zip.close();
    throw e;
  }
}

async function readWorkbook(zip: ZipFile, file: string): Promise<Workbook> {
  if (zip.get('EncryptedPackage')) {
    throw new GongweiError('REG_XLSX_ENCRYPTED', `工作簿设置了打开密码，无法读取：${file}`, { hint: '请在 Excel/WPS 中取消密码后另存为 xlsx 再导入。' });
  }
  // The workbook part from the package relationships (xl/workbook.xml almost always).
  let wbPath = 'xl/workbook.xml';
  const rootRels = zip.get('_rels/.rels');
  if (rootRels) {
    const t = await zip.text(rootRels);
    for (const m of t.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
      if (/officeDocument"?\s*$/.test(attr(m[1], 'Type') ?? '') || /\/officeDocument$/.test(attr(m[1], 'Type') ?? '')) {
        wbPath = resolveTarget('', attr(m[1], 'Target') ?? wbPath);
        break;
      }
    }
  }
  const wbEntry = zip.get(wbPath);
  if (!wbEntry) throw corrupt(file, '缺少 workbook.xml，不是 Excel 工作簿');
  const wbXml = await zip.text(wbEntry);
  const relsPath = wbPath.replace(/[^/]*$/, (n) => `_rels/${n}.rels`);
  const rels = new Map<string, string>();
  const relsEntry = zip.get(relsPath);
  if (relsEntry) {
    const t = await zip.text(relsEntry);
    for (const m of t.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
      const id = attr(m[1], 'Id');
      const target = attr(m[1], 'Target');
      const type = attr(m[1], 'Type') ?? '';
      if (id && target && !/^[a-z]+:\/\//i.test(target)) rels.set(id, resolveTarget(wbPath, target));
      if (target && /\/styles$/.test(type)) rels.set('#styles', resolveTarget(wbPath, target));
      if (target && /\/sharedStrings$/.test(type)) rels.set('#sst', resolveTarget(wbPath, target));
    }
  }
  const pr = /<(?:[\w.-]+:)?workbookPr\b([^>]*)>/.exec(wbXml);
  const d1904 = pr ? attr(pr[1], 'date1904') : undefined;
  const date1904 = d1904 === '1' || d1904 === 'true';
  const sheetDefs: { name: string; hidden: boolean; path: string }[] = [];
  for (const m of wbXml.matchAll(/<(?:[\w.-]+:)?sheet\s([^>]*)>/g)) {
    const name = attr(m[1], 'name') ?? '';
    const state = attr(m[1], 'state');
    const rid = /\s(?:[\w.-]+:)?id\s*=\s*"([^"]*)"/.exec(' ' + m[1])?.[1];
    const p = (rid && rels.get(rid)) ?? `xl/worksheets/sheet${sheetDefs.length + 1}.xml`;
    sheetDefs.push({ name, hidden: state === 'hidden' || state === 'veryHidden', path: p });
  }

  // Styles: which cellXfs indices have a date number format.
  const dateStyle: boolean[] = [];
  const padStyle: number[] = [];
  const stEntry = zip.get(rels.get('#styles') ?? 'xl/styles.xml');
  if (stEntry) {
    const t = await zip.text(stEntry);
    const fmts = new Map<number, string>();
    for (const m of t.matchAll(/<(?:[\w.-]+:)?numFmt\s([^>]*)>/g)) {
      const id = Number(attr(m[1], 'numFmtId'));
      const code = attr(m[1], 'formatCode');
      if (Number.isFinite(id) && code !== undefined) fmts.set(id, code);
    }
    const xfs = /<(?:[\w.-]+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?cellXfs>/.exec(t);
    if (xfs) {
      for (const m of xfs[1].matchAll(/<(?:[\w.-]+:)?xf\b([^>]*)>/g)) {
        const id = Number(attr(m[1], 'numFmtId') ?? 0);
        dateStyle.push(isDateFormat(id, fmts.get(id)));
        padStyle.push(zeroPadWidth(fmts.get(id)));
      }
    }
  }

  // Shared strings: decoded as the sheets ask for them, their bytes in a temporary file when many (read last: nothing
  // after it can fail and leave the file behind).
  const sstEntry = zip.get(rels.get('#sst') ?? 'xl/sharedStrings.xml');
  const sst = sstEntry ? await readSharedStrings(zip, sstEntry, file) : sharedStringsOf([]);

  return {
    sheets: sheetDefs.map((s) => ({ name: s.name, hidden: s.hidden })),
    date1904,
    sharedStringsBytes: sstEntry?.size ?? 0,
    close: () => {
      sst.close();
      return zip.close();
    },
    rows(sheetName: string, onProgress?: (fraction: number) => void): AsyncIterable<XlsxRow> {
      const def = sheetDefs.find((s) => s.name === sheetName);
      if (!def) throw new GongweiError('REG_SHEET_NOT_FOUND', `工作簿中没有名为“${sheetName}”的工作表：${file}`);
      const entry = zip.get(def.path);
      if (!entry) throw corrupt(file, `缺少工作表 ${def.path}`);
      return sheetRows(zip, entry, { file, sst, dateStyle, padStyle, date1904 }, onProgress);
    },
  };
}

/** Width of a zero-padding integer format (`0000`, `000000;@`), else 0. */
export function zeroPadWidth(code: string | undefined): number {
  if (!code) return 0;
  const first = code.split(';')[0]!.replace(/\\.|"[^"]*"|_./g, (m) => (m === '\\0' ? '0' : '')).trim();
  return /^0{2,}$/.test(first) ? first.length : 0;
}

