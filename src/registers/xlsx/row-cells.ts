// The cells of one <row> of sheet XML: a hand-written scanner for the common shapes (what Excel, WPS, LibreOffice and
// exceljs write), and the general regular-expression reading for everything else. The scanner gives up on anything it
// does not know (a formula, rich text, single quotes, other prefixes …) and the row is then read the general way, so
// both give the same cells by construction.
import type { Unreadable } from '../cells.js';
import { decodeText, runsText } from './xml.js';
import type { SheetContext, XlsxCell, XlsxRow } from './types.js';

/** A row's cells as they are read. */
export interface RowParts {
  cells: XlsxCell[];
  dateCols: number[];
  padded?: XlsxRow['padded'];
  unreadable?: Unreadable[];
}

/** Tag texts of the sheet's namespace prefix ('' or e.g. 'x:'). */
export interface SheetTags {
  c: string;
  cClose: string;
  v: string;
  vClose: string;
  is: string;
  t: string;
  tIsClose: string;
}

export function sheetTags(prefix: string): SheetTags {
  const p = prefix;
  return { c: `<${p}c`, cClose: `</${p}c>`, v: `<${p}v>`, vClose: `</${p}v>`, is: `<${p}is>`, t: `<${p}t`, tIsClose: `</${p}t></${p}is>` };
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

/** Column letters (A, Z, AA …) of a cell reference → 0-based index; -1 when there are none. */
export function columnIndex(ref: string): number {
  return lettersIndex(ref, 0, ref.length);
}

function lettersIndex(s: string, from: number, to: number): number {
  let n = 0;
  let i = from;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
  }
  return i === from ? -1 : n - 1;
}

/** Attribute value from a start tag, fast path for the c/row attributes (r, t, s). */
export function quickAttr(tag: string, name: string): string | undefined {
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

/** A numeric cell's style: a date format lists the column, a zero-padding format records its width. */
function numberStyle(ctx: SheetContext, parts: RowParts, col: number, si: number): void {
  if (ctx.dateStyle[si]) parts.dateCols.push(col);
  else if (ctx.padStyle[si]) (parts.padded ??= []).push({ col, width: ctx.padStyle[si]! });
}

function put(ctx: SheetContext, parts: RowParts, col: number, value: XlsxCell, checkBad: boolean): void {
  if ((checkBad || ctx.sst.bad) && typeof value === 'string' && value.indexOf('\uFFFD') >= 0) (parts.unreadable ??= []).push({ col, why: 'bytes' });
  const cells = parts.cells;
  while (cells.length < col) cells.push(null);
  cells[col] = value;
}

const CELL_RE = /<(?:[\w.-]+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?c>)/g;
const V_RE = /<(?:[\w.-]+:)?v\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?v>/;
const IS_RE = /<(?:[\w.-]+:)?is\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?is>/;
const F_RE = /<(?:[\w.-]+:)?f\b/;

/** The general reading of a row body (any prefix, quoting, formulas, rich text). */
export function regexCells(body: string, ctx: SheetContext, checkBad: boolean, parts: RowParts): void {
  let col = -1;
  CELL_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CELL_RE.exec(body))) {
    const a = m[1]!;
    const ref = quickAttr(a, 'r');
    const ci = ref ? columnIndex(ref) : -1;
    col = ci >= 0 ? ci : col + 1;
    const inner = m[2];
    if (inner === undefined || inner === '') continue;
    const t = quickAttr(a, 't');
    let value: XlsxCell = null;
    if (t === 'inlineStr') {
      const is = IS_RE.exec(inner);
      value = is ? runsText(is[1]!) : null;
    } else {
      const v = V_RE.exec(inner);
      if (!v) {
        // A formula whose result was never stored (written by a script or library; Excel and WPS store it).
        if (F_RE.test(inner)) (parts.unreadable ??= []).push({ col, why: 'formula' });
        continue;
      }
      const raw = v[1]!;
      if (t === undefined || t === 'n') {
        if (raw === '') continue;
        value = Number(raw);
        const s = quickAttr(a, 's');
        if (s !== undefined) numberStyle(ctx, parts, col, Number(s));
      } else if (t === 's') {
        value = ctx.sst.get(Number(raw)) ?? null;
      } else if (t === 'str' || t === 'e') {
        value = decodeText(raw);
      } else if (t === 'b') {
        value = raw === '1' || raw === 'true';
      } else if (t === 'd') {
        const serial = isoToSerial(raw, ctx.date1904);
        if (serial === null) value = decodeText(raw);
        else {
          value = serial;
          parts.dateCols.push(col);
        }
      } else value = decodeText(raw);
    }
    put(ctx, parts, col, value, checkBad);
  }
}

// Cell types the scanner tells apart (t attribute).
const T_NONE = 0;
const T_N = 1;
const T_S = 2;
const T_INLINE = 3;
const T_STR = 4;
const T_B = 5;
const T_D = 6;
const T_OTHER = 7;

function isSpace(ch: number): boolean {
  return ch === 32 || ch === 10 || ch === 13 || ch === 9;
}

/**
 * Scan the cells of a row body x[from, to) for the common shapes: `<c r=".." s=".." t="..">` with double-quoted
 * attributes separated by single spaces, then nothing, `<v>…</v>`, or `<is><t>…</t></is>` (one run). Returns false on
 * anything else, with `parts` in an unspecified state (the caller starts over with regexCells).
 */
export function scanCells(x: string, from: number, to: number, tags: SheetTags, ctx: SheetContext, checkBad: boolean, parts: RowParts): boolean {
  let col = -1;
  let i = from;
  const cOpen = tags.c;
  while (i < to) {
    let ch = x.charCodeAt(i);
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (!x.startsWith(cOpen, i)) return false;
    let j = i + cOpen.length;
    const gt = x.indexOf('>', j);
    if (gt < 0 || gt >= to) return false;
    ch = x.charCodeAt(j);
    if (ch !== 32 && ch !== 62 && ch !== 47) return false;
    const selfClosing = x.charCodeAt(gt - 1) === 47;
    const attrEnd = selfClosing ? gt - 1 : gt;
    let ci = -1;
    let hasRef = false;
    let t = T_NONE;
    let style = -1;
    while (j < attrEnd) {
      ch = x.charCodeAt(j);
      if (ch === 32) {
        j++;
        continue;
      }
      // name="value"
      const nameFrom = j;
      while (j < attrEnd) {
        ch = x.charCodeAt(j);
        if (ch === 61) break;
        if (isSpace(ch) || ch === 34 || ch === 39) return false;
        j++;
      }
      if (j >= attrEnd || x.charCodeAt(j + 1) !== 34) return false;
      const nameLen = j - nameFrom;
      const vFrom = j + 2;
      const vTo = x.indexOf('"', vFrom);
      if (vTo < 0 || vTo >= attrEnd) return false;
      j = vTo + 1;
      if (j < attrEnd && x.charCodeAt(j) !== 32) return false;
      if (nameLen !== 1) continue;
      const n = x.charCodeAt(nameFrom);
      if (n === 114) {
        // r: the first one counts
        if (!hasRef) {
          hasRef = true;
          ci = vTo > vFrom ? lettersIndex(x, vFrom, vTo) : -1;
        }
      } else if (n === 116) {
        if (t === T_NONE) {
          const len = vTo - vFrom;
          const c0 = x.charCodeAt(vFrom);
          if (len === 1) t = c0 === 110 ? T_N : c0 === 115 ? T_S : c0 === 98 ? T_B : c0 === 100 ? T_D : T_OTHER;
          else if (len === 9 && x.startsWith('inlineStr', vFrom)) t = T_INLINE;
          else if (len === 3 && x.startsWith('str', vFrom)) t = T_STR;
          else t = T_OTHER;
        }
      } else if (n === 115) {
        if (style < 0) {
          if (vTo === vFrom) return false;
          let v = 0;
          for (let k = vFrom; k < vTo; k++) {
            const d = x.charCodeAt(k) - 48;
            if (d < 0 || d > 9) return false;
            v = v * 10 + d;
          }
          style = v;
        }
      }
    }
    col = ci >= 0 ? ci : col + 1;
    if (selfClosing) {
      i = gt + 1;
      continue;
    }
    // The cell's end is found with its content: `</c>` right after `</t></is>` or `</v>` (no other '<' inside).
    const cClose = tags.cClose;
    if (x.startsWith(cClose, gt + 1)) {
      i = gt + 1 + cClose.length;
      if (i > to) return false;
      continue;
    }
    let value: XlsxCell;
    if (t === T_INLINE) {
      let k = gt + 1;
      if (!x.startsWith(tags.is, k)) return false;
      k += tags.is.length;
      if (!x.startsWith(tags.t, k)) return false;
      k += tags.t.length;
      ch = x.charCodeAt(k);
      if (ch === 32) {
        const g = x.indexOf('>', k);
        if (g < 0 || g >= to || x.charCodeAt(g - 1) === 47 || x.indexOf('<', k) < g) return false;
        k = g + 1;
      } else if (ch === 62) k++;
      else return false;
      const te = x.indexOf('<', k);
      if (te < 0 || !x.startsWith(tags.tIsClose, te) || !x.startsWith(cClose, te + tags.tIsClose.length)) return false;
      i = te + tags.tIsClose.length + cClose.length;
      if (i > to) return false;
      value = decodeText(x.slice(k, te));
    } else {
      if (!x.startsWith(tags.v, gt + 1)) return false;
      const rs = gt + 1 + tags.v.length;
      const re = x.indexOf('<', rs);
      if (re < 0 || !x.startsWith(tags.vClose, re) || !x.startsWith(cClose, re + tags.vClose.length)) return false;
      i = re + tags.vClose.length + cClose.length;
      if (i > to) return false;
      if (t === T_NONE || t === T_N) {
        if (re === rs) continue;
        value = Number(x.slice(rs, re));
        if (style >= 0) numberStyle(ctx, parts, col, style);
      } else if (t === T_S) {
        value = ctx.sst.get(Number(x.slice(rs, re))) ?? null;
      } else if (t === T_B) {
        const raw = x.slice(rs, re);
        value = raw === '1' || raw === 'true';
      } else if (t === T_D) {
        const raw = x.slice(rs, re);
        const serial = isoToSerial(raw, ctx.date1904);
        if (serial === null) value = decodeText(raw);
        else {
          value = serial;
          parts.dateCols.push(col);
        }
      } else {
        // str, e and any other type: the text as written
        value = decodeText(x.slice(rs, re));
      }
    }
    put(ctx, parts, col, value, checkBad);
  }
  return true;
}
