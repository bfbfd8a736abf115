// A scoring table (考核表) of an assessment scheme → the plan format's 考核: 指标 for catalogue indicators with a target, 其他项目 for the rest, 分类 from the category column.
import { parseTarget } from '../plan/parse-target.js';
import type { IndicatorLookup } from './catalog.js';
import type { Node, Scoring, ScoringItem, Table } from './tree.js';

const squeeze = (s: string) => s.replace(/[\s\u3000]+/g, '');
const COLUMNS = {
  points: /^(?:分值|标准分|标准分值|分数|满分|权重分?|分值[（(]分[)）])$/,
  item: /^(?:考核(?:内容|项目|指标)|指标(?:名称)?|项目(?:名称)?|考核要点|工作内容|内容)$/,
  category: /^(?:类别|分类|考核类别|项目类别|一级指标|类型)$/,
  target: /^(?:目标|目标值|标准值|考核目标|工作目标|指标要求|要求)$/,
  formula: /^(?:计算公式|计算方法|计算方式)$/,
  note: /^(?:说明|备注|评分标准|评分办法|考核方法|评分细则|扣分标准)$/,
};
const POINTS = /^(\d{1,3}(?:\.\d+)?)\s*分?$/;
const TOTAL_ROW = /^(?:小\s*计|合\s*计|总\s*计|总\s*分)/;

/**
 * The first table of the plan that reads as a scoring table: a header with a points column and an item column, and every
 * other row a whole number of points (小计/合计 rows aside). Undefined when there is none — nothing is guessed.
 */
export function findScoring(nodes: Node[], lookup: IndicatorLookup): Scoring | undefined {
  for (const t of tablesIn(nodes)) {
    const s = readScoring(t, lookup);
    if (s) return s;
  }
  return undefined;
}

function* tablesIn(nodes: Node[]): Generator<Table> {
  for (const n of nodes) {
    if (n.kind === 'table') yield n;
    else if (n.kind === 'section') yield* tablesIn(n.children);
  }
}

function readScoring(t: Table, lookup: IndicatorLookup): Scoring | undefined {
  const [head, ...rows] = t.rows;
  if (!head || !rows.length) return undefined;
  const col = (re: RegExp) => head.findIndex((c) => re.test(squeeze(c)));
  const at = Object.fromEntries(Object.entries(COLUMNS).map(([k, re]) => [k, col(re)])) as Record<keyof typeof COLUMNS, number>;
  if (at.points < 0 || at.item < 0) return undefined;
  const cell = (r: string[], i: number) => (i >= 0 ? (r[i] ?? '').trim() : '');
  const items: ScoringItem[] = [];
  const written = new Map<string, number>();
  let category = '';
  for (const r of rows) {
    const pts = POINTS.exec(cell(r, at.points));
    // 小计 closes the category above it (its points are the author's subtotal); 合计 closes the table.
    if (r.some((c) => TOTAL_ROW.test(c.trim()))) {
      if (pts && category && r.some((c) => /^小\s*计/.test(c.trim()))) written.set(category, Number(pts[1]));
      continue;
    }
    if (at.category >= 0 && cell(r, at.category)) category = cell(r, at.category);
    const name = cell(r, at.item);
    if (!name || !pts || Number(pts[1]) <= 0) return undefined;
    const ref = lookup(name);
    const item: ScoringItem = { name, points: Number(pts[1]) };
    if (category) item.category = category;
    for (const k of ['target', 'formula', 'note'] as const) if (cell(r, at[k])) item[k] = cell(r, at[k]);
    if (ref) item.indicator = { id: ref.id, name: ref.name };
    items.push(item);
  }
  if (!items.length) return undefined;
  const out: Scoring = { table: t, items };
  if (at.category >= 0 && items.every((i) => i.category)) {
    const sums = new Map<string, number>();
    for (const i of items) sums.set(i.category!, (sums.get(i.category!) ?? 0) + i.points);
    out.categories = [...sums].map(([name, points]) => ({ name, points, ...(written.has(name) ? { written: written.get(name) } : {}) }));
  }
  return out;
}

/** An item goes into 考核.指标 when it is a catalogue indicator with a target the validator understands. */
export const isIndicatorItem = (i: ScoringItem): boolean => !!i.indicator && !!i.target && 'target' in parseTarget(i.target);
