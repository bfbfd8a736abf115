// A sheet's rows, streamed: the sheet XML is inflated chunk by chunk, each complete <row> is read (row-cells.ts) and
// the rows are yielded as they complete, with the values of vertically merged ranges shown on the rows they cover.
// Merged ranges are stored after the rows. Rows are given as they are read while none could be filled from a range
// (every row that has values has them in every column so far — the usual export). At the first row that could, the
// ranges are found (a separate pass that only inflates, no XML parsing); when none of them began above that row the
// reading simply goes on, else the sheet is read again from its start, only the first rows of ranges parsed until
// that row, so each range's value is known.
import { GongweiError } from '../../errors.js';
import { corrupt, type ZipEntry, type ZipFile } from './zip.js';
import { columnIndex, quickAttr, regexCells, scanCells, sheetTags, type RowParts, type SheetTags } from './row-cells.js';
import type { SheetContext, XlsxCell, XlsxRow } from './types.js';

/** A merged range taller than one row: its first column's value shows on every row of it. */
interface Merge { top: number; bottom: number; col: number; value?: XlsxCell; date?: boolean; pad?: number }

/**
 * Inflated bytes per piece of sheet XML: 32 KB rather than the zip reader's 64 KB. A 64 KB piece decodes to a string
 * too large for V8's young generation, which cost about 3 s more garbage collection on 1,000,000 rows read on the
 * preparing thread (whose young generation is small) and 0.7 s on this one (counted with --trace-gc, 2026-12-03).
 */
const SHEET_CHUNK = 1 << 15;

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
          // Only the marker's length minus one byte of the previous chunk is needed to find it across the boundary.
          let at = prev.length ? Buffer.concat([prev, c.subarray(0, marker.length)]).indexOf(marker) : -1;
          if (at < 0) {
            at = c.indexOf(marker);
            if (at < 0) {
              prev = Buffer.from(c.subarray(Math.max(0, c.length - 64)));
              continue;
            }
          } else {
            c = Buffer.concat([prev, c]);
          }
          found = true;
          // Back to the '<' of the element (ASCII, so never inside a multi-byte character).
          c = c.subarray(Math.max(0, c.lastIndexOf(0x3c, at)));
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

/** The rows of a sheet, merged values filled in. */
export async function* sheetRows(zip: ZipFile, entry: ZipEntry, ctx: SheetContext, onProgress?: (fraction: number) => void): AsyncGenerator<XlsxRow> {
  const again = yield* readRows(zip, entry, ctx, undefined, 0, onProgress);
  if (again) yield* readRows(zip, entry, ctx, again.merges, again.passOver, onProgress);
}

/**
 * One pass over the sheet. `merges` undefined: the ranges are not known yet (see above). A pass that must start over
 * returns the ranges and how many row elements it had read before the row that needs them: the next pass gives none
 * of those again and parses only the ones a range starts on.
 */
async function* readRows(
  zip: ZipFile, entry: ZipEntry, ctx: SheetContext, merges: Merge[] | undefined, passOver: number, onProgress?: (fraction: number) => void,
): AsyncGenerator<XlsxRow, { merges: Merge[]; passOver: number } | undefined> {
  const { file } = ctx;
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let rowOpen = '<row';
  let rowClose = '</row>';
  let tags: SheetTags = sheetTags('');
  let prefixKnown = false;
  let lastRow = 0;
  let ready: XlsxRow[] = [];
  /** Row elements read (self-closing ones too). */
  let elements = 0;
  /** The widest row so far (cells), for telling whether a row could be filled from a merged range. */
  let width = 0;
  /** The row (number) that stopped the reading until the ranges are known. */
  let stoppedAt = -1;
  const tops = passOver > 0 ? new Set(merges!.map((g) => g.top)) : undefined;
  // Set once a chunk of the sheet did not decode as UTF-8: from then on string cells are checked for U+FFFD.
  let sawBad = false;

  /** Read one row element; false: stopped before it (it is read again once the ranges are known). */
  const parseRow = (x: string, tagFrom: number, tagTo: number, bodyFrom: number, bodyTo: number): boolean => {
    const r = quickAttr(x.slice(tagFrom, tagTo), 'r');
    const rowNo = r ? Number(r) : lastRow + 1;
    const passing = elements < passOver;
    if (bodyFrom < 0 || (passing && !tops!.has(rowNo))) {
      lastRow = rowNo;
      elements++;
      return true;
    }
    let parts: RowParts = { cells: [], dateCols: [] };
    if (!scanCells(x, bodyFrom, bodyTo, tags, ctx, sawBad, parts)) {
      parts = { cells: [], dateCols: [] };
      regexCells(x.slice(bodyFrom, bodyTo), ctx, sawBad, parts);
    }
    const cells = parts.cells;
    if (merges === undefined) {
      if (mayTakeMerge(cells, width)) {
        stoppedAt = rowNo;
        return false;
      }
      if (cells.length > width) width = cells.length;
    } else if (merges.length) parts.padded = fillMerges(rowNo, cells, parts.dateCols, parts.padded);
    lastRow = rowNo;
    elements++;
    if (passing || (!cells.length && !parts.unreadable)) return true;
    const out: XlsxRow = { row: rowNo, cells, dateCols: parts.dateCols };
    if (parts.padded) out.padded = parts.padded;
    if (parts.unreadable) out.unreadable = parts.unreadable;
    ready.push(out);
    return true;
  };

  // Merged ranges: the first row gives the value, the rows below show it (only rows that hold other values get it,
  // so the blank rows at the end of a block stay blank).
  let nextMerge = 0;
  let active: Merge[] = [];
  const fillMerges = (rowNo: number, cells: XlsxCell[], dateCols: number[], padded: XlsxRow['padded']): XlsxRow['padded'] => {
    const all = merges!;
    while (nextMerge < all.length && all[nextMerge]!.top <= rowNo) active.push(all[nextMerge++]!);
    if (!active.length) return padded;
    active = active.filter((g) => g.bottom >= rowNo);
    const hasOwn = hasValue(cells);
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

  let rowIncomplete = false;
  let held: string[] | undefined;
  let heldTail = '';
  const scan = (final: boolean) => {
    if (!prefixKnown) {
      const m = /<([\w.-]+:)?sheetData\b/.exec(pending);
      if (m) {
        prefixKnown = true;
        const p = m[1] ?? '';
        rowOpen = `<${p}row`;
        rowClose = `</${p}row>`;
        tags = sheetTags(p);
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
        parseRow(pending, start + rowOpen.length, tagEnd - 1, -1, -1);
        pos = tagEnd + 1;
        continue;
      }
      const close = pending.indexOf(rowClose, tagEnd);
      if (close < 0) {
        pos = start;
        rowIncomplete = true;
        break;
      }
      if (!parseRow(pending, start + rowOpen.length, tagEnd, tagEnd + 1, close)) {
        pos = start;
        break;
      }
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

  /** Stopped: find the ranges; true when the reading goes on (no range began above the row that stopped it). */
  const rangesFound = async (): Promise<boolean> => {
    const found = await verticalMerges(zip, entry, file);
    if (found.some((g) => g.top < stoppedAt && g.bottom >= stoppedAt)) {
      merges = found;
      return false;
    }
    merges = found;
    stoppedAt = -1;
    return true;
  };

  const stream = zip.stream(entry, SHEET_CHUNK, onProgress && entry.compressedSize > 0 ? (n: number) => onProgress(Math.min(1, n / entry.compressedSize)) : undefined);
  try {
    for await (const chunks of stream) {
      for (const c of chunks) {
        const text = decoder.decode(c, { stream: true });
        if (!sawBad && text.indexOf('\uFFFD') >= 0) sawBad = true;
        feed(text);
      }
      if (held) continue;
      scan(false);
      if (stoppedAt >= 0 && (await rangesFound())) scan(false);
      if (ready.length) {
        const out = ready;
        ready = [];
        for (const r of out) yield r;
      }
      if (stoppedAt >= 0) return { merges: merges!, passOver: elements };
    }
    if (held) {
      pending = held.join('');
      held = undefined;
    }
    pending += decoder.decode();
    scan(true);
    if (stoppedAt >= 0 && (await rangesFound())) scan(true);
    for (const r of ready) yield r;
    return stoppedAt >= 0 ? { merges: merges!, passOver: elements } : undefined;
  } catch (e) {
    if (e instanceof GongweiError) throw e;
    throw corrupt(file, String((e as Error)?.message ?? e), e);
  }
}

function hasValue(cells: XlsxCell[]): boolean {
  for (const v of cells) if (v !== null && v !== undefined && v !== '') return true;
  return false;
}

/**
 * A row with a value that lacks one in a column an earlier row has: a merged range above could fill it (a range's
 * first row has the value, so the range's column is below `width`).
 */
function mayTakeMerge(cells: XlsxCell[], width: number): boolean {
  let gap = cells.length < width;
  const n = Math.min(cells.length, width);
  for (let i = 0; !gap && i < n; i++) if (cells[i] === null || cells[i] === undefined) gap = true;
  return gap && hasValue(cells);
}
