// The rows of a values file checked against the plan: each names a 自定义 indicator of the plan (or a 考核 item scored
// by hand), a period, a value in the indicator's unit and where the value comes from. Problems are issues with the row.
import { normalizeIndicatorName, type IndicatorCatalog } from '../../catalog/indicators.js';
import { editDistance } from '../../edit-distance.js';
import type { Issue, Position } from '../../issues.js';
import type { CustomTarget } from '../../plan/plan-targets.js';
import { parsePeriod } from '../period.js';
import type { ValueCell, ValueColumn, ValueRow } from './read.js';

/** A 考核 item scored by hand (其他项目): its value in the file is a score out of its 分值. */
export interface ScoredItem {
  name: string;
  weight: number;
}

/** One checked value. */
export interface ManualValue {
  /** A 自定义 indicator's value, or a hand-scored 考核 item's score. */
  kind: 'indicator' | 'score';
  /** The plan's name of the indicator or item. */
  name: string;
  /** Normalised period label (2025, 2025Q2 …). */
  period: string;
  /** '' for the whole unit. */
  village: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
  source: string;
  note?: string;
  /** file:row, for the outputs. */
  at: string;
}

export interface CheckedValues {
  values: ManualValue[];
  issues: Issue[];
}

const FACTORS: Record<string, number> = { '%': 100, '‰': 1000, '/10万': 100000 };
const RATE_UNITS = Object.keys(FACTORS);

/** "99.2%", "12次", "9分", 99.2 → number and unit; undefined when it is not a number. */
export function parseAmount(cell: ValueCell): { value: number; unit: string } | undefined {
  if (typeof cell.value === 'number') return cell.percent ? { value: +(cell.value * 100).toFixed(10), unit: '%' } : { value: cell.value, unit: '' };
  const s = String(cell.value ?? '').normalize('NFKC').replace(/\s+/g, '').replace(/,/g, '');
  const m = /^(-?\d+(?:\.\d+)?)(%|‰|\/10万|[\u4e00-\u9fff]{1,2})?$/.exec(s);
  return m ? { value: Number(m[1]), unit: m[2] ?? '' } : undefined;
}

const where = (p: Position) => (p.row !== undefined ? `${p.file}:${p.row}` : `${p.file}:${p.line ?? ''}`);
const text = (c: ValueCell | undefined) => (c?.value === null || c?.value === undefined ? '' : String(c.value).trim());

/** Check the rows of a values file against the plan's 自定义 targets and hand-scored items (and the catalogue, to refuse computed ones). */
export function checkValues(rows: ValueRow[], plan: { custom: CustomTarget[]; scored: ScoredItem[]; villages?: string[]; subjects?: string[] }, catalog: IndicatorCatalog): CheckedValues {
  const issues: Issue[] = [];
  const values: ManualValue[] = [];
  const custom = new Map(plan.custom.map((t) => [normalizeIndicatorName(t.name), t]));
  const scored = new Map(plan.scored.map((t) => [normalizeIndicatorName(t.name), t]));
  const first = new Map<string, Position>();
  const names = [...plan.custom.map((t) => t.name), ...plan.scored.map((s) => s.name)];

  for (const row of rows) {
    const c = row.cells;
    // A missing cell is placed on its row (and, in a spreadsheet, under its column).
    const add = (code: string, severity: Issue['severity'], message: string, cell: ValueCell | ValueColumn | undefined, hint?: string) => {
      const pos = typeof cell === 'string' ? (c[cell]?.at ?? (row.at.row !== undefined ? { ...row.at, column: cell } : row.at)) : (cell?.at ?? row.at);
      issues.push({ code, severity, message, ...pos, ...(hint ? { hint } : {}) });
    };
    const name = text(c.指标);
    if (!name) {
      add('VALUES_NO_INDICATOR', 'error', '这一行没有写“指标”', '指标');
      continue;
    }
    const key = normalizeIndicatorName(name);
    const target = custom.get(key);
    const item = target ? undefined : scored.get(key);
    if (!target && !item) {
      const def = catalog.resolve(name);
      if (def) {
        add('VALUES_COMPUTED', 'warning', `「${def.name}」由登记表计算，填报的数值不采用（不会覆盖计算结果）`, c.指标, '只有计划中写了“自定义: true”的指标和考核中人工评分的项目需要填报。');
        continue;
      }
      const near = names.map((n) => ({ n, d: editDistance(normalizeIndicatorName(n), key) })).filter((x) => x.d <= Math.max(2, Math.floor(x.n.length / 3))).sort((a, b) => a.d - b.d);
      add('VALUES_UNKNOWN_INDICATOR', 'error', `计划中没有需要填报的指标「${name}」${near.length ? `：是指「${near[0]!.n}」吗？` : ''}`, c.指标,
        names.length ? `需要填报的有：${names.join('、')}` : '这个计划没有自定义指标，也没有人工评分的考核项目。');
      continue;
    }
    const shown = target?.name ?? item!.name;
    // A template row not filled in yet (no value, no numbers, no source) is left as 需人工填报.
    if ([c.数值, c.分子, c.分母, c.数据来源].every((x) => !text(x))) continue;
    // 期间
    const periodText = text(c.期间);
    let period: string | undefined;
    if (!periodText) add('VALUES_NO_PERIOD', 'error', `「${shown}」这一行没有写“期间”`, '期间', '写统计期间，如 2025、2025Q2、2025-01..2025-06。');
    else {
      try {
        period = parsePeriod(periodText).label;
      } catch {
        add('VALUES_PERIOD', 'error', `看不懂期间“${periodText}”`, c.期间, '可用的写法：2025（全年）、2025Q2（第二季度）、2025-03（月）、2025-01..2025-06（连续月份）。');
      }
    }
    // 数据来源
    const source = text(c.数据来源);
    if (!source) add('VALUES_NO_SOURCE', 'error', `「${shown}」没有写“数据来源”`, '数据来源', '写明数值从哪里来，如“县妇幼保健院2025年报”“考核小组现场检查”。');
    // 数值, 分子, 分母
    const count = (col: '分子' | '分母'): number | null | undefined => {
      const cell = c[col];
      if (!cell || cell.value === null) return null;
      const a = parseAmount(cell);
      if (!a || a.value < 0 || !Number.isFinite(a.value) || RATE_UNITS.includes(a.unit)) {
        add('VALUES_NUMBER', 'error', `「${shown}」的${col}“${text(cell)}”不是一个人数或次数`, cell);
        return undefined;
      }
      return a.value;
    };
    const num = target ? count('分子') : null;
    const den = target ? count('分母') : null;
    if (num === undefined || den === undefined) continue;
    const factor = target ? (target.kind === 'rate' ? FACTORS[target.unit] ?? 100 : 1) : 1;
    let value: number | undefined;
    const cell = c.数值;
    if (!cell || cell.value === null) {
      if (target?.kind === 'rate' && num !== null && den) value = (num / den) * factor;
      else {
        add('VALUES_NO_VALUE', 'error', `「${shown}」没有写“数值”`, '数值', target?.kind === 'rate' ? `写成如“99.2${target.unit}”，或写出分子和分母。` : undefined);
        continue;
      }
    } else {
      const a = parseAmount(cell);
      if (!a) {
        add('VALUES_NUMBER', 'error', `「${shown}」的数值“${text(cell)}”不是一个数`, cell, target ? `写成如“${target.kind === 'rate' ? `99.2${target.unit}` : `12${target.unit}`}”。` : `写得分，如“${item!.weight}”。`);
        continue;
      }
      if (a.value < 0) {
        add('VALUES_RANGE', 'error', `「${shown}」的数值不能为负数：“${text(cell)}”`, cell);
        continue;
      }
      if (item) {
        if (a.unit && a.unit !== '分') {
          add('VALUES_UNIT', 'error', `「${shown}」是人工评分的考核项目，数值应是得分（0～${item.weight}分），不能写“${a.unit}”`, cell);
          continue;
        }
        if (a.value > item.weight) {
          add('VALUES_RANGE', 'error', `「${shown}」的得分 ${a.value} 超过了分值 ${item.weight}`, cell);
          continue;
        }
      } else if (target!.kind === 'rate') {
        if (!a.unit) {
          add('VALUES_NO_UNIT', 'error', `「${shown}」是比率，数值“${text(cell)}”没有写“${target!.unit}”`, cell, `写成“${a.value > 0 && a.value <= 1 && target!.unit === '%' ? +(a.value * 100).toFixed(6) : a.value}${target!.unit}”。`);
          continue;
        }
        if (a.unit !== target!.unit) {
          add('VALUES_UNIT', 'error', `「${shown}」的目标以“${target!.unit}”计，数值却写成“${text(cell)}”`, cell, `写成如“99.2${target!.unit}”。`);
          continue;
        }
        if (a.unit === '%' && a.value > 100) {
          add('VALUES_RANGE', 'error', `「${shown}」是比率，数值 ${a.value}% 超过了 100%`, cell, '请核对分子和分母。');
          continue;
        }
      } else if (RATE_UNITS.includes(a.unit)) {
        add('VALUES_UNIT', 'error', `「${shown}」是计数（目标${target!.text}），数值不能写“${a.unit}”`, cell, `写成如“${a.value}${target!.unit}”。`);
        continue;
      } else if (a.unit && target!.unit && a.unit !== target!.unit) {
        add('VALUES_UNIT', 'error', `「${shown}」的目标以“${target!.unit}”计，数值却写成“${text(cell)}”`, cell);
        continue;
      }
      value = a.value;
      if (target?.kind === 'rate' && num !== null && den !== null) {
        if (!den) {
          add('VALUES_NUMBER', 'error', `「${shown}」的分母为 0`, c.分母);
          continue;
        }
        const computed = (num / den) * factor;
        if (Math.abs(computed - value) > 0.05 + 1e-9) {
          add('VALUES_MISMATCH', 'error', `「${shown}」的数值 ${text(cell)} 与分子/分母（${num}/${den} = ${computed.toFixed(1)}${target.unit}）不符`, cell, '请核对数值、分子和分母。');
          continue;
        }
      }
    }
    if (period === undefined || !source) continue;
    const village = text(c.村).normalize('NFKC');
    // A row's 村 (or 考核对象) names a village of 基本情况/行政村 or one of the departments/people 考核对象 lists.
    const known = [...(plan.villages ?? []), ...(plan.subjects ?? [])];
    if (village && known.length && !known.includes(village)) {
      const near = known.find((v) => editDistance(v, village) <= 1 || v.startsWith(village) || village.startsWith(v));
      const lists = [plan.villages?.length ? `行政村有：${plan.villages.join('、')}` : '', plan.subjects?.length ? `考核对象有：${plan.subjects.join('、')}` : ''].filter(Boolean).join('；');
      const where = [plan.villages?.length ? '“基本情况/行政村”' : '', plan.subjects?.length ? '“考核/考核对象”' : ''].filter(Boolean).join('和');
      add('VALUES_UNKNOWN_VILLAGE', 'error', `计划${where}中没有「${village}」${near ? `：是指「${near}」吗？` : ''}`, c.村, lists);
      continue;
    }
    const dupKey = `${target ? 'i' : 's'}\u0000${normalizeIndicatorName(shown)}\u0000${period}\u0000${village}`;
    const prev = first.get(dupKey);
    if (prev) {
      add('VALUES_DUPLICATE', 'error', `「${shown}」${period}${village ? `（${village}）` : ''}填了两次`, c.指标, `第一次在 ${where(prev)}。`);
      continue;
    }
    first.set(dupKey, row.at);
    values.push({
      kind: target ? 'indicator' : 'score',
      name: shown,
      period,
      village,
      value: value!,
      numerator: target?.kind === 'count' ? value! : num,
      denominator: target?.kind === 'count' ? null : den,
      source,
      ...(text(c.备注) ? { note: text(c.备注) } : {}),
      at: where(row.at),
    });
  }
  return { values, issues };
}
