// Fast streaming xlsx sheet reader: own zip directory + node:zlib inflate, a forward scanner over the sheet XML, rows yielded as they complete.
import { GongweiError } from '../errors.js';
import { ZipFile, corrupt, type ZipEntry } from './xlsx/zip.js';
import { attr, decodeText, isDateFormat, runsText } from './xlsx/xml.js';
import type { Unreadable } from './cells.js';

export type XlsxCell = string | number | boolean | null;

export interface XlsxRow {
  /** 1-based row number as Excel shows it. */
  row: number;
  cells: XlsxCell[];
  /** Indices of numeric cells whose number format is a date. */
  dateCols: number[];
  /** Numeric cells shown zero-padded by their number format (`0000` shows 12 as 0012): index and width. */
  padded?: { col: number; width: number }[];
  /** Cells whose value is not in the file: a formula without a stored result, bytes that are not UTF-8. */
  unreadable?: Unreadable[];
}

export interface Workbook {
  sheets: { name: string; hidden: boolean }[];
  date1904: boolean;
  /** `onProgress` gets the share of the sheet read so far (0–1). */
  rows(sheetName: string, onProgress?: (fraction: number) => void): AsyncIterable<XlsxRow>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_INFLATED_BYTES = 4 * 1024 * 1024 * 1024;

/** Column letters (A, Z, AA …) of a cell reference → 0-based index; -1 when there are none. */
export function columnIndex(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
  }
  return i === 0 ? -1 : n - 1;
}

function resolveTarget(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

const EPOCH_MS = Date.UTC(1899, 11, 30);

/** ISO date(-time) of a t="d" cell → a serial in the workbook's date system (the date and time as written). */
function isoToSerial(s: string, date1904: boolean): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?/.exec(s);
  if (!m) return null;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0)) + Math.round(+(m[6] ?? 0) * 1000);
  let serial = (ms - EPOCH_MS) / 86400000;
  if (date1904) serial -= 1462;
  else if (serial < 61) serial -= 1;
  return serial;
}

/** Open an xlsx workbook: sheet list, date system, and a streaming row reader per sheet. */
export async function openWorkbook(file: string, opts: { maxInflatedBytes?: number } = {}): Promise<Workbook> {
  const zip = await ZipFile.open(file, opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES);
  try {
    return await readWorkbook(zip, file);
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

  // Shared strings.
  const sst: string[] = [];
  const sstEntry = zip.get(rels.get('#sst') ?? 'xl/sharedStrings.xml');
  if (sstEntry) {
    const t = await zip.text(sstEntry);
    for (const m of t.matchAll(/<(?:[\w.-]+:)?si\b(?:[^>]*?\/>|[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?si>)/g)) sst.push(m[1] ? runsText(m[1]) : '');
  }
  const sstBad = sst.some((x) => x.indexOf('\uFFFD') >= 0);

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

  return {
    sheets: sheetDefs.map((s) => ({ name: s.name, hidden: s.hidden })),
    date1904,
    close: () => zip.close(),
    rows(sheetName: string, onProgress?: (fraction: number) => void): AsyncIterable<XlsxRow> {
      const def = sheetDefs.find((s) => s.name === sheetName);
      if (!def) throw new GongweiError('REG_SHEET_NOT_FOUND', `工作簿中没有名为“${sheetName}”的工作表：${file}`);
      const entry = zip.get(def.path);
      if (!entry) throw corrupt(file, `缺少工作表 ${def.path}`);
      return (async function* () {
        // Merged ranges are stored after the rows, so a first pass finds them (inflating only, no XML parsing), at any size.
        const merges = await verticalMerges(zip, entry, file);
        yield* sheetRows(zip, entry, sst, sstBad, dateStyle, padStyle, date1904, file, merges, onProgress);
      })();
    },
  };
}

const CELL_RE = /<(?:[\w.-]+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?c>)/g;
const V_RE = /<(?:[\w.-]+:)?v\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?v>/;
const IS_RE = /<(?:[\w.-]+:)?is\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?is>/;
const F_RE = /<(?:[\w.-]+:)?f\b/;

/** Attribute value from a start tag, fast path for the c/row attributes (r, t, s). */
function quickAttr(tag: string, name: string): string | undefined {
  let i = tag.indexOf(' ' + name + '="');
  let q = '"';
  if (i < 0) {
    i = tag.indexOf(' ' + name + "='");
    q = "'";
    if (i < 0) {
      // Whitespace other than a space before the attribute (newlines, tabs).
      const m = new RegExp(`\\s${name}\\s*=\\s*(["'])(.*?)\\1`).exec(tag);
      return m ? m[2] : undefined;
    }
  }
  const start = i + name.length + 3;
  const end = tag.indexOf(q, start);
  return end < 0 ? undefined : tag.slice(start, end);
}

/** Width of a zero-padding integer format (`0000`, `000000;@`), else 0. */
export function zeroPadWidth(code: string | undefined): number {
  if (!code) return 0;
  const first = code.split(';')[0]!.replace(/\\.|"[^"]*"|_./g, (m) => (m === '\\0' ? '0' : '')).trim();
  return /^0{2,}$/.test(first) ? first.length : 0;
}

/** A merged range taller than one row: its first column's value shows on every row of it. */
interface Merge { top: number; bottom: number; col: number; value?: XlsxCell; date?: boolean; pad?: number }

const MERGE_RE = /<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref\s*=\s*["']\$?([A-Za-z]+)\$?(\d+)(?::\$?([A-Za-z]+)\$?(\d+))?["']/g;

/** The vertical merged ranges of a sheet (所属村 merged down a block of rows), sorted by first row. */
async function verticalMerges(zip: ZipFile, entry: ZipEntry, file: string): Promise<Merge[]> {
  const decoder = new TextDecoder('utf-8');
  const out: Merge[] = [];
  let tail = '';
  // The rows come first: chunks are only searched as bytes until the mergeCells element begins.
  const marker = Buffer.from('mergeCell');
  let prev: Buffer = Buffer.alloc(0);
  let found = false;
  try {
    for await (const chunks of zip.stream(entry)) {
      for (const chunk of chunks) {
        let c = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        if (!found) {
          const joined = Buffer.concat([prev, c]);
          const at = joined.indexOf(marker);
          if (at < 0) {
            prev = Buffer.from(joined.subarray(Math.max(0, joined.length - 64)));
            continue;
          }
          found = true;
          // Back to the '<' of the element (ASCII, so never inside a multi-byte character).
          c = joined.subarray(Math.max(0, joined.lastIndexOf(0x3c, at)));
        }
        const text = tail + decoder.decode(c, { stream: true });
        let end = 0;
        MERGE_RE.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = MERGE_RE.exec(text))) {
          end = MERGE_RE.lastIndex;
          const top = Number(m[2]);
          const bottom = m[4] ? Number(m[4]) : top;
          if (bottom > top) out.push({ top, bottom, col: columnIndex(m[1]!) });
        }
        tail = text.slice(Math.max(end, text.length - 256));
      }
    }
  } catch (e) {
    if (e instanceof GongweiError) throw e;
    throw corrupt(file, String((e as Error)?.message ?? e), e);
  }
  return out.sort((a, b) => a.top - b.top);
}

async function* sheetRows(
  zip: ZipFile, entry: ZipEntry, sst: string[], sstBad: boolean, dateStyle: boolean[], padStyle: number[], date1904: boolean, file: string,
  merges: Merge[] = [], onProgress?: (fraction: number) => void,
): AsyncGenerator<XlsxRow> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let rowOpen = '<row';
  let rowClose = '</row>';
  let prefixKnown = false;
  let lastRow = 0;
  let ready: XlsxRow[] = [];
  // Set once a chunk of the sheet did not decode as UTF-8: from then on string cells are checked for U+FFFD.
  let sawBad = false;

  const parseRow = (startTag: string, body: string | null) => {
    const r = quickAttr(startTag, 'r');
    const rowNo = r ? Number(r) : lastRow + 1;
    lastRow = rowNo;
    if (body === null) return;
    const cells: XlsxCell[] = [];
    const dateCols: number[] = [];
    let padded: { col: number; width: number }[] | undefined;
    let unreadable: Unreadable[] | undefined;
    let col = -1;
    CELL_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = CELL_RE.exec(body))) {
      const a = m[1];
      const ref = quickAttr(a, 'r');
      const ci = ref ? columnIndex(ref) : -1;
      col = ci >= 0 ? ci : col + 1;
      const inner = m[2];
      if (inner === undefined || inner === '') continue;
      const t = quickAttr(a, 't');
      let value: XlsxCell = null;
      if (t === 'inlineStr') {
        const is = IS_RE.exec(inner);
        value = is ? runsText(is[1]) : null;
      } else {
        const v = V_RE.exec(inner);
        if (!v) {
          // A formula whose result was never stored (written by a script or library; Excel and WPS store it).
          if (F_RE.test(inner)) (unreadable ??= []).push({ col, why: 'formula' });
          continue;
        }
        const raw = v[1];
        if (t === undefined || t === 'n') {
          if (raw === '') continue;
          value = Number(raw);
          const s = quickAttr(a, 's');
          if (s !== undefined) {
            const si = Number(s);
            if (dateStyle[si]) dateCols.push(col);
            else if (padStyle[si]) (padded ??= []).push({ col, width: padStyle[si]! });
          }
        } else if (t === 's') {
          value = sst[Number(raw)] ?? null;
        } else if (t === 'str' || t === 'e') {
          value = decodeText(raw);
        } else if (t === 'b') {
          value = raw === '1' || raw === 'true';
        } else if (t === 'd') {
          const serial = isoToSerial(raw, date1904);
          if (serial === null) value = decodeText(raw);
          else {
            value = serial;
            dateCols.push(col);
          }
        } else value = decodeText(raw);
      }
      if ((sawBad || sstBad) && typeof value === 'string' && value.indexOf('\uFFFD') >= 0) (unreadable ??= []).push({ col, why: 'bytes' });
      while (cells.length < col) cells.push(null);
      cells[col] = value;
    }
    if (merges.length) padded = fillMerges(rowNo, cells, dateCols, padded);
    if (!cells.length && !unreadable) return;
    const out: XlsxRow = { row: rowNo, cells, dateCols };
    if (padded) out.padded = padded;
    if (unreadable) out.unreadable = unreadable;
    ready.push(out);
  };

  // Merged ranges: the first row gives the value, the rows below show it (only rows that hold other values get it,
  // so the blank rows at the end of a block stay blank).
  let nextMerge = 0;
  let active: Merge[] = [];
  const fillMerges = (rowNo: number, cells: XlsxCell[], dateCols: number[], padded: XlsxRow['padded']): XlsxRow['padded'] => {
    while (nextMerge < merges.length && merges[nextMerge]!.top <= rowNo) active.push(merges[nextMerge++]!);
    if (!active.length) return padded;
    active = active.filter((g) => g.bottom >= rowNo);
    let hasOwn = false;
    for (const v of cells) if (v !== null && v !== undefined && v !== '') hasOwn = true;
    for (const g of active) {
      if (g.top === rowNo) {
        g.value = cells[g.col] ?? null;
        g.date = dateCols.includes(g.col);
        g.pad = padded?.find((p) => p.col === g.col)?.width;
      } else if (hasOwn && g.value !== undefined && g.value !== null && (cells[g.col] === undefined || cells[g.col] === null)) {
        while (cells.length < g.col) cells.push(null);
        cells[g.col] = g.value;
        if (g.date) dateCols.push(g.col);
        if (g.pad) (padded ??= []).push({ col: g.col, width: g.pad });
      }
    }
    return padded;
  };

  const scan = (final: boolean) => {
    if (!prefixKnown) {
      const m = /<([\w.-]+:)?sheetData\b/.exec(pending);
      if (m) {
        prefixKnown = true;
        const p = m[1] ?? '';
        rowOpen = `<${p}row`;
        rowClose = `</${p}row>`;
      } else if (!final) {
        // Nothing before the sheetData tag is needed: keep only a tail that may hold the start of the tag.
        if (pending.length > 64) pending = pending.slice(-64);
        return;
      }
    }
    let pos = 0;
    for (;;) {
      let start = pending.indexOf(rowOpen, pos);
      // Skip tags that merely start with "row" (rowBreaks, etc.).
      while (start >= 0) {
        const ch = pending.charCodeAt(start + rowOpen.length);
        if (ch === 32 || ch === 62 || ch === 47 || ch === 9 || ch === 10 || ch === 13) break;
        if (Number.isNaN(ch)) break;
        start = pending.indexOf(rowOpen, start + 1);
      }
      if (start < 0) {
        // Keep a tail that may be the beginning of a row tag cut by the chunk boundary.
        pos = Math.max(pos, pending.length - rowOpen.length);
        break;
      }
      const tagEnd = pending.indexOf('>', start);
      if (tagEnd < 0) {
        pos = start;
        break;
      }
      if (pending.charCodeAt(tagEnd - 1) === 47) {
        parseRow(pending.slice(start + rowOpen.length, tagEnd - 1), null);
        pos = tagEnd + 1;
        continue;
      }
      const close = pending.indexOf(rowClose, tagEnd);
      if (close < 0) {
        pos = start;
        rowIncomplete = true;
        break;
      }
      parseRow(pending.slice(start + rowOpen.length, tagEnd), pending.slice(tagEnd + 1, close));
      pos = close + rowClose.length;
    }
    pending = pos >= pending.length ? '' : pending.slice(pos);
    if (rowIncomplete && !final) {
      // A row longer than a chunk: collect its text in pieces and look for its end only in the new text,
      // so a huge row (or a crafted one) costs linear time, not a rescan of everything held per chunk.
      rowIncomplete = false;
      held = [pending];
      heldTail = pending.slice(-rowClose.length);
      pending = '';
    }
  };
  let rowIncomplete = false;
  let held: string[] | undefined;
  let heldTail = '';
  const feed = (t: string) => {
    if (!held) {
      pending += t;
      return;
    }
    if ((heldTail + t).indexOf(rowClose) < 0) {
      held.push(t);
      heldTail = (heldTail + t).slice(-rowClose.length);
      return;
    }
    held.push(t);
    pending = held.join('');
    held = undefined;
  };

  try {
    const onRead = onProgress && entry.compressedSize > 0 ? (n: number) => onProgress(Math.min(1, n / entry.compressedSize)) : undefined;
    for await (const chunks of zip.stream(entry, undefined, onRead)) {
      for (const c of chunks) {
        const text = decoder.decode(c, { stream: true });
        if (!sawBad && text.indexOf('\uFFFD') >= 0) sawBad = true;
        feed(text);
      }
      if (held) continue;
      scan(false);
      if (ready.length) {
        const out = ready;
        ready = [];
        for (const r of out) yield r;
      }
    }
    if (held) {
      pending = held.join('');
      held = undefined;
    }
    pending += decoder.decode();
    scan(true);
    for (const r of ready) yield r;
  } catch (e) {
    if (e instanceof GongweiError) throw e;
    throw corrupt(file, String((e as Error)?.message ?? e), e);
  }
}
