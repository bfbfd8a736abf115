// Header row detection (below title rows, two-line headers), register detection from headers, column mapping.
import type { RegisterDef } from '../catalog/registers.js';
import { normalizeHeader, stripBracketed, looseKey, halfWidth } from '../normalize.js';
import type { Cell } from './source.js';

/** Where a register column (or combined column) comes from in the sheet. */
export interface ColumnMapping {
  register: RegisterDef;
  /** For each stored column (register.columns order): source cell index or -1. */
  sourceIndex: number[];
  /** Combined columns present (e.g. 血压 135/85): source index and target column indices. */
  combined: { index: number; into: [number, number]; header: string }[];
  /** Header text of each source cell, deduplicated (`备注(2)`), empty headers named `列N`. */
  headers: string[];
  /** Source headers used by no column. */
  ignored: string[];
}

interface Target { reg: string; col: string }

const indexCache = new WeakMap<RegisterDef[], Map<string, Target[]>>();

/** normalised header → the register columns it can mean. */
export function headerIndex(catalog: RegisterDef[]): Map<string, Target[]> {
  let idx = indexCache.get(catalog);
  if (idx) return idx;
  idx = new Map();
  const add = (h: string, t: Target) => {
    const k = normalizeHeader(h);
    const list = idx!.get(k) ?? [];
    if (!list.some((x) => x.reg === t.reg && x.col === t.col)) list.push(t);
    idx!.set(k, list);
  };
  for (const r of catalog) {
    for (const c of [...r.columns, ...(r.combined ?? [])]) {
      if ('derived' in c && c.derived) continue;
      for (const h of [c.header, ...(c.aliases ?? [])]) add(h, { reg: r.id, col: c.name });
    }
  }
  indexCache.set(catalog, idx);
  return idx;
}

/** The register columns a header cell can mean (exact normalised form first, then without bracketed units). */
export function lookupHeader(idx: Map<string, Target[]>, cell: Cell): Target[] {
  if (cell === null || cell === undefined || cell === '') return [];
  const n = normalizeHeader(cell);
  if (!n) return [];
  const hit = idx.get(n);
  if (hit) return hit;
  const bare = stripBracketed(n);
  if (bare && bare !== n) return idx.get(bare) ?? [];
  return [];
}

/** How many cells of a row are known headers (of any register, or of `only`). */
export function knownHeaderCount(idx: Map<string, Target[]>, cells: Cell[], only?: string): number {
  let n = 0;
  for (const c of cells) {
    const t = lookupHeader(idx, c);
    if (t.length && (!only || t.some((x) => x.reg === only))) n++;
  }
  return n;
}

const isBlank = (c: Cell) => c === null || c === undefined || (typeof c === 'string' && c.trim() === '');

/**
 * Among the first rows of a sheet, the header: the row with the most known headers (at least 2).
 * A following row that names columns under merged group cells (血压 → 收缩压 | 舒张压) is merged in.
 * Returns the index in `rows` of the header row and how many rows it spans (1 or 2).
 */
export function findHeaderRow(idx: Map<string, Target[]>, rows: Cell[][], only?: string): { at: number; span: number; cells: Cell[] } | undefined {
  const found = headerRows(idx, rows, only);
  // A row of units ((mmHg) | (mmol/L)) or of column numbers (甲 | 乙 | 1 | 2 | 3 …, as official forms have) under the header belongs to it.
  if (found && rows[found.at + found.span] && isHeaderNote(rows[found.at + found.span]!)) found.span++;
  return found;
}

const UNIT_CELL = /^([(（[【].*[)）\]】]|mmhg|mmol\/l|kg|cm|%|人|次|岁|份|个|例|户|元|天|单位[:：].*)$/i;

/** A row under the header holding only units, or only column numbers / 甲乙丙 markers in sequence. */
export function isHeaderNote(cells: Cell[]): boolean {
  const vals = cells.filter((c) => !isBlank(c)).map((c) => halfWidth(String(c)).trim());
  if (!vals.length) return false;
  if (vals.every((v) => UNIT_CELL.test(v))) return true;
  const nums = vals.filter((v) => !/^[甲乙丙丁戊己庚辛]$/.test(v));
  if (vals.length < 3 || !nums.every((v) => /^\d{1,3}$/.test(v))) return false;
  return nums.every((v, i) => i === 0 || Number(v) === Number(nums[i - 1]) + 1) && Number(nums[0] ?? 1) <= 1;
}

function headerRows(idx: Map<string, Target[]>, rows: Cell[][], only?: string): { at: number; span: number; cells: Cell[] } | undefined {
  let best = -1;
  let bestN = 1;
  for (let i = 0; i < rows.length; i++) {
    const n = knownHeaderCount(idx, rows[i]!, only);
    if (n > bestN) {
      best = i;
      bestN = n;
    }
  }
  if (best < 0) return undefined;
  const head = rows[best]!;
  const next = rows[best + 1];
  if (next) {
    // The second row continues the header when every non-blank cell of it is a known header
    // (sub-headers under a merged group cell such as 血压 → 收缩压 | 舒张压); its cells replace those above.
    let added = 0;
    let other = 0;
    const merged = head.slice();
    for (let j = 0; j < next.length; j++) {
      if (isBlank(next[j]!)) continue;
      if (lookupHeader(idx, next[j]!).length > 0) {
        merged[j] = next[j]!;
        added++;
      } else other++;
    }
    if (added > 0 && other === 0) {
      for (let j = 0; j < merged.length; j++) if (merged[j] === undefined) merged[j] = null;
      return { at: best, span: 2, cells: merged };
    }
  }
  return { at: best, span: 1, cells: head };
}

export interface RegisterCandidate {
  id: string;
  name: string;
  score: number;
  matched: number;
  /** What the title rows, sheet name and file name added (0, 0.5 for a keyword, 0.75 for the register's name). */
  bonus: number;
  missingKeys: string[];
}

/** Rank registers for a header row; `context` (title rows, sheet and file name) breaks ties via keywords. */
export function rankRegisters(idx: Map<string, Target[]>, catalog: RegisterDef[], headerCells: Cell[], context: string): RegisterCandidate[] {
  const matched = new Map<string, Set<string>>();
  for (const c of headerCells) {
    for (const t of lookupHeader(idx, c)) {
      let s = matched.get(t.reg);
      if (!s) matched.set(t.reg, (s = new Set()));
      s.add(t.col);
    }
  }
  const ctx = looseKey(context);
  const out: RegisterCandidate[] = [];
  for (const r of catalog) {
    const m = matched.get(r.id);
    if (!m) continue;
    const cols = new Set(m);
    for (const cb of r.combined ?? []) if (cols.has(cb.name)) for (const t of cb.into) cols.add(t);
    const missingKeys = r.naturalKey.filter((k) => !cols.has(k));
    const nCols = r.columns.filter((c) => !c.derived).length;
    const stored = r.columns.filter((c) => cols.has(c.name)).length;
    let bonus = 0;
    if (ctx) {
      if (ctx.includes(looseKey(r.name)) || (r.aliases ?? []).some((a) => ctx.includes(looseKey(a)))) bonus = 0.75;
      else if ((r.keywords ?? []).some((k) => ctx.includes(looseKey(k)))) bonus = 0.5;
    }
    const score = stored - 0.01 * (nCols - stored) + bonus;
    out.push({ id: r.id, name: r.name, score, matched: stored, bonus, missingKeys });
  }
  return out.sort((a, b) => (a.missingKeys.length === 0 ? 0 : 1) - (b.missingKeys.length === 0 ? 0 : 1) || b.score - a.score);
}

/**
 * The register a sheet is, among the candidates that have every natural-key column: the most columns recognised,
 * then the title/sheet/file name. Left tied after that, a register whose columns contain all of another tied one's
 * (diabetes follow-ups = hypertension follow-ups + 空腹血糖) gives way to the smaller one: the sheet has none of the
 * columns that would tell it is the bigger one. Any other tie is ambiguous (the tied candidates are returned).
 */
export function pickRegister(ranked: RegisterCandidate[], catalog: RegisterDef[]): { id: string } | { tied: RegisterCandidate[] } | undefined {
  const ok = ranked.filter((c) => c.missingKeys.length === 0).sort((a, b) => b.matched + b.bonus - (a.matched + a.bonus) || b.score - a.score);
  const top = ok[0];
  if (!top) return undefined;
  let tied = ok.filter((c) => c.matched === top.matched && c.bonus === top.bonus);
  if (tied.length > 1) {
    const cols = new Map(tied.map((c) => [c.id, new Set(catalog.find((r) => r.id === c.id)!.columns.filter((x) => !x.derived).map((x) => x.name))]));
    const within = (a: Set<string>, b: Set<string>) => a.size < b.size && [...a].every((x) => b.has(x));
    tied = tied.filter((c) => !tied.some((a) => a !== c && within(cols.get(a.id)!, cols.get(c.id)!)));
  }
  return tied.length === 1 ? { id: tied[0]!.id } : { tied };
}

/** Map the header cells onto a register's columns. The first cell naming a column wins. */
export function mapColumns(idx: Map<string, Target[]>, reg: RegisterDef, headerCells: Cell[]): ColumnMapping {
  const sourceIndex = reg.columns.map(() => -1);
  const combined: ColumnMapping['combined'] = [];
  const headers: string[] = [];
  const ignored: string[] = [];
  const seen = new Map<string, number>();
  headerCells.forEach((c, i) => {
    let h = isBlank(c) ? `列${i + 1}` : String(c).replace(/\s*[\r\n]+\s*/g, '').trim();
    const count = seen.get(h) ?? 0;
    seen.set(h, count + 1);
    if (count > 0) h = `${h}(${count + 1})`;
    headers.push(h);
    const t = lookupHeader(idx, c).find((x) => x.reg === reg.id);
    if (!t) {
      if (!isBlank(c)) ignored.push(h);
      return;
    }
    const ci = reg.columns.findIndex((col) => col.name === t.col);
    if (ci >= 0) {
      if (sourceIndex[ci] === -1) sourceIndex[ci] = i;
      else ignored.push(h);
      return;
    }
    const cb = (reg.combined ?? []).find((x) => x.name === t.col);
    if (cb && combined.length === 0) {
      const into = cb.into.map((n) => reg.columns.findIndex((col) => col.name === n)) as [number, number];
      combined.push({ index: i, into, header: h });
    } else ignored.push(h);
  });
  // Separate columns win over a combined one.
  const keep = combined.filter((cb) => cb.into.every((t) => sourceIndex[t] === -1));
  for (const cb of combined) if (!keep.includes(cb)) ignored.push(cb.header);
  return { register: reg, sourceIndex, combined: keep, headers, ignored };
}

const END_FIRST_CHARS = new Set(['合', '总', '小', '说', '填', '备', '注', '制', '审', '负', '单', '统', '联', '报']);
const END_RE = /^(合计|总计|说明|填表说明|填报说明|备注[:：]|注[:：]|注\d*[.、:：])/;
const FOOTER_RE = /^(填表人|填报人|制表人|审核人|负责人|单位负责人|统计人|联系电话|填报日期|报送日期|制表日期|填表日期)/;

/**
 * What a row below the header is when it is not data, by its first non-empty cell: a 小计 row inside the data
 * (`subtotal`, skipped), a 合计/总计 row or notes (说明/填表说明/备注：/注：) that end the data (`end`), or the
 * signature lines of a form (填表人：… 审核人：… 填报日期：…, `footer`, also the end).
 */
export function endRowKind(cells: Cell[]): 'subtotal' | 'end' | 'footer' | undefined {
  for (const c of cells) {
    if (isBlank(c)) continue;
    if (typeof c !== 'string') return undefined;
    // Cheap pre-check on the first visible character before any string work.
    let k = 0;
    while (k < c.length && c.charCodeAt(k) <= 32) k++;
    if (!END_FIRST_CHARS.has(c[k]!)) return undefined;
    const s = halfWidth(c).replace(/\s+/g, '');
    if (s.startsWith('小计')) return 'subtotal';
    if (END_RE.test(s)) return 'end';
    if (FOOTER_RE.test(s)) return 'footer';
    return undefined;
  }
  return undefined;
}

export function isEmptyRow(cells: Cell[]): boolean {
  for (const c of cells) if (!isBlank(c)) return false;
  return true;
}
