// 绩效考核 scoring: indicator weights × a scoring rule → item scores, a 100-point total and a grade.
import { formatValue, targetPhrase, type Target } from '../catalog/target.js';
import { GongweiError } from '../errors.js';
import type { IndicatorResult } from '../indicators/types.js';
import { reasonWords } from '../indicators/reason-words.js';

/** How an item earns its points when the target is not met. */
export type ScoringRule =
  /** 按比例: value/target × weight (target/value for ≤ targets), capped at the weight. */
  | { kind: 'proportional' }
  /** 达标得分: full marks when met, otherwise 0. */
  | { kind: 'all-or-nothing' }
  /** 扣分: lose `perPoint` points per unit (percentage point, ‰ point, count) below target, not below 0. */
  | { kind: 'deduct'; perPoint: number };

export interface AssessItemInput {
  /** Indicator id; absent for items scored by hand (综合管理 …). */
  indicatorId?: string;
  name: string;
  weight: number;
  target?: Target;
  rule?: ScoringRule;
  /** A score given by hand (e.g. from an inspection); used when there is no indicator. */
  manualScore?: number;
  /** How the item is checked, in the plan's words (其他项目的说明). */
  description?: string;
  line?: number;
}

export interface GradeThreshold {
  grade: string;
  /** Lower bound, inclusive (优秀 ≥ 90). */
  min: number;
}

export const DEFAULT_GRADES: GradeThreshold[] = [
  { grade: '优秀', min: 90 },
  { grade: '合格', min: 75 },
  { grade: '基本合格', min: 65 },
  { grade: '不合格', min: 0 },
];

/** Who a scheme assesses (考核对象): the unit itself, each village clinic, or named departments/people. */
export type AssessSubject = { kind: 'unit' } | { kind: 'villages' } | { kind: 'list'; names: string[] };

export interface AssessScheme {
  items: AssessItemInput[];
  /** 考核对象; the unit when the plan does not say. */
  subject?: AssessSubject;
  grades?: GradeThreshold[];
  rule?: ScoringRule;
  /** What each grade entails (考核结果运用), shown in the document. */
  consequences?: Record<string, string>;
}

/** 待评分: an item scored by hand that has no score yet; 待填报: a 自定义 indicator whose value no one has supplied yet. */
export type ItemState = '达标' | '未达标' | '无数据' | '无目标' | '人工评分' | '待评分' | '待填报';

/** The grade while items scored by hand or values to be supplied are missing: the total is not final. */
export const GRADE_PENDING = '暂不评定';

/** A score given by hand for an item (其他项目), from the values file, with where it comes from. */
export interface GivenScore {
  score: number;
  source: string;
}

export interface AssessItemResult {
  indicatorId?: string;
  name: string;
  weight: number;
  target?: Target;
  targetText?: string;
  value: number | null;
  unit?: string;
  numerator: number | null;
  denominator: number | null;
  state: ItemState;
  /** Points earned, two decimals. */
  score: number;
  /** How the score was reached, in Chinese ("未达标，按比例得分：58.1/65×10"). */
  note: string;
  /** 数据来源 of a value or score a person supplied (人工填报). */
  source?: string;
}

export interface AssessmentResult {
  period: string;
  items: AssessItemResult[];
  weightSum: number;
  rawScore: number;
  /** The total on the 100-point scale (the weights add to 100: a scheme that does not is refused). */
  total: number;
  /** The grade, or 暂不评定 while items have no score or value (see `missing`). */
  grade: string;
  grades: GradeThreshold[];
  consequence?: string;
  notes: string[];
  /** The items that still need a score or a value (暂不评定 while any is missing). */
  missing: string[];
  /** The village (or other 考核对象) this result is for; absent for the unit. */
  subject?: string;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const fmt = (x: number) => String(Math.round(x * 10) / 10);

function isMet(value: number, t: Extract<Target, { kind: 'threshold' }>): boolean {
  const eps = 1e-9;
  switch (t.op) {
    case '>=': return value >= t.value - eps;
    case '>': return value > t.value;
    case '<=': return value <= t.value + eps;
    case '<': return value < t.value;
    case '=': return Math.abs(value - t.value) < eps;
  }
}

/** Fraction of the weight earned by an unmet threshold target under the proportional rule. */
function proportion(value: number, t: Extract<Target, { kind: 'threshold' }>): number {
  const lowerIsBetter = t.op === '<=' || t.op === '<' || (t.op === '=' && value > t.value);
  if (lowerIsBetter) return value <= 0 ? 1 : Math.max(0, t.value) / value;
  return t.value <= 0 ? 0 : Math.max(0, value) / t.value;
}

/** Score one item against the computed result for its indicator (the whole unit, group null). */
export function scoreItem(item: AssessItemInput, result: IndicatorResult | undefined, defaultRule: ScoringRule, given?: GivenScore): AssessItemResult {
  const rule = item.rule ?? defaultRule;
  const base = {
    indicatorId: item.indicatorId,
    name: item.name,
    weight: item.weight,
    target: item.target,
    targetText: item.target?.text,
    value: result?.value ?? null,
    unit: result?.unit,
    numerator: result?.numerator ?? null,
    denominator: result?.denominator ?? null,
    ...(result?.manual ? { source: result.manual.source } : {}),
  };
  if (!item.indicatorId) {
    const manual = item.manualScore !== undefined ? { score: item.manualScore, source: '' } : given;
    if (manual) {
      const s = Math.min(item.weight, Math.max(0, manual.score));
      return { ...base, state: '人工评分', score: round2(s), note: `人工评分${fmt(s)}分${manual.source ? `（数据来源：${manual.source}）` : ''}`, ...(manual.source ? { source: manual.source } : {}) };
    }
    const how = item.description ? `（${item.description}）` : '';
    return { ...base, state: '待评分', score: 0, note: `需人工评分${how}，尚未给出得分` };
  }
  if (result?.status === '需人工填报') {
    return { ...base, state: '待填报', score: 0, note: '自定义指标，需人工填报，尚未填报数值' };
  }
  if (!result || result.value === null) {
    const why = (result?.reason ? reasonWords(result.reason) : '') || '没有计算结果';
    return { ...base, state: '无数据', score: 0, note: `无数据（${why}），计0分` };
  }
  const t = item.target;
  if (!t) return { ...base, state: '无目标', score: 0, note: '计划未给出目标值，计0分' };
  const scored = scoreAgainst(item, result, t, rule, base);
  return result.manual ? { ...scored, note: `${scored.note}（人工填报，数据来源：${result.manual.source}）` } : scored;
}

function scoreAgainst(item: AssessItemInput, result: IndicatorResult, t: Target, rule: ScoringRule, base: Omit<AssessItemResult, 'state' | 'score' | 'note'>): AssessItemResult {
  const value = result.value as number;
  if (t.kind !== 'threshold') {
    // Trend and growth targets need last year's value; use the status computed against the plan when there is one.
    if (result.status === '达标') return { ...base, state: '达标', score: item.weight, note: '达标，得满分' };
    if (result.status === '未达标') return { ...base, state: '未达标', score: 0, note: '未达到趋势/增长目标，计0分' };
    return { ...base, state: '无数据', score: 0, note: '缺少上年基数，无法判断趋势/增长目标，计0分' };
  }
  if (isMet(value, t)) return { ...base, state: '达标', score: item.weight, note: '达标，得满分' };
  let score: number;
  let note: string;
  switch (rule.kind) {
    case 'all-or-nothing':
      score = 0;
      note = '未达标，计0分';
      break;
    case 'deduct': {
      const gap = Math.abs(value - t.value);
      score = Math.max(0, item.weight - rule.perPoint * gap);
      note = `未达标，差${fmt(gap)}，每差1扣${rule.perPoint}分`;
      break;
    }
    default: {
      const p = Math.min(1, proportion(value, t));
      score = item.weight * p;
      const lower = t.op === '<=' || t.op === '<' || (t.op === '=' && value > t.value);
      note = lower
        ? `未达标，按比例得分：${fmt(t.value)}/${fmt(value)}×${item.weight}`
        : `未达标，按比例得分：${fmt(value)}/${fmt(t.value)}×${item.weight}`;
    }
  }
  return { ...base, state: '未达标', score: round2(Math.min(item.weight, score)), note };
}

/** The grade for a total on the 100-point scale. */
export function gradeFor(total: number, grades: GradeThreshold[] = DEFAULT_GRADES): string {
  const sorted = [...grades].sort((a, b) => b.min - a.min);
  for (const g of sorted) if (total >= g.min - 1e-9) return g.grade;
  return sorted[sorted.length - 1]?.grade ?? '';
}

/**
 * Assess a scheme against computed indicator results — of the whole unit (group null), or of one village with
 * `group` — and the scores given by hand (`scores`, by item name). A scheme whose points do not add to 100 is refused
 * (GongweiError PLAN_ASSESS_TOTAL): a total is never rescaled behind the author's back. While an item has no score or
 * value, the grade is 暂不评定 and `missing` names what is missing.
 */
export function assess(scheme: AssessScheme, results: IndicatorResult[], period: string, opts: { group?: string | null; scores?: Map<string, GivenScore> } = {}): AssessmentResult {
  const points = round2(scheme.items.reduce((s, i) => s + i.weight, 0));
  if (Math.abs(points - 100) > 1e-6) {
    throw new GongweiError('PLAN_ASSESS_TOTAL', `考核各项分值合计为 ${points} 分，应为 100 分，不能评分`, {
      hint: '修改考核方案中各项的“分值”，使合计为 100 分（gongwei plan validate 会指出）。',
      exitCode: 1,
    });
  }
  const group = opts.group ?? null;
  const own = new Map<string, IndicatorResult>();
  for (const r of results) if (r.group === group && !own.has(r.id)) own.set(r.id, r);
  const rule = scheme.rule ?? { kind: 'proportional' };
  // A score written in the plan (得分) is the unit's; a village's comes from the values file only.
  const items = scheme.items.map((it) =>
    scoreItem(group === null ? it : { ...it, manualScore: undefined }, it.indicatorId ? own.get(it.indicatorId) : undefined, rule, it.indicatorId ? undefined : opts.scores?.get(it.name)),
  );
  const weightSum = round2(items.reduce((s, i) => s + i.weight, 0));
  const rawScore = round2(items.reduce((s, i) => s + i.score, 0));
  const notes: string[] = [];
  const total = rawScore;
  const noData = items.filter((i) => i.state === '无数据');
  if (noData.length) notes.push(`${noData.length}项指标无数据，按0分计：${noData.map((i) => i.name).join('、')}。`);
  const pending = items.filter((i) => i.state === '待评分' || i.state === '待填报');
  const grades = scheme.grades?.length ? scheme.grades : DEFAULT_GRADES;
  const grade = pending.length ? GRADE_PENDING : gradeFor(total, grades);
  if (pending.length) {
    const open = round2(pending.reduce((s, i) => s + i.weight, 0));
    notes.push(`${pending.map((i) => `${i.name}（${i.state === '待填报' ? '需人工填报数值' : '需人工评分'}）`).join('、')}尚无得分，暂不评定等级：已评项目得分${total}分，另有${open}分待评。`);
  }
  return {
    period,
    items,
    weightSum,
    rawScore,
    total,
    grade,
    grades,
    consequence: pending.length ? undefined : scheme.consequences?.[grade],
    notes,
    missing: pending.map((i) => i.name),
    ...(group !== null ? { subject: group } : {}),
  };
}

/** One village's result in a ranking: its place (null while 暂不评定), total and grade. */
export interface RankedResult {
  rank: number | null;
  result: AssessmentResult;
}

/** Villages ranked by total, best first; those still 暂不评定 after them, unranked. Equal totals share a place. */
export function rankResults(results: AssessmentResult[]): RankedResult[] {
  const graded = results.filter((r) => r.grade !== GRADE_PENDING).sort((a, b) => b.total - a.total);
  const out: RankedResult[] = graded.map((r) => ({ rank: 0, result: r }));
  out.forEach((x, i) => (x.rank = i > 0 && x.result.total === out[i - 1]!.result.total ? out[i - 1]!.rank : i + 1));
  return [...out, ...results.filter((r) => r.grade === GRADE_PENDING).map((r) => ({ rank: null, result: r }))];
}

/** An item's value as tables and documents show it: — for items scored by hand (no computed value), 无数据 when missing. */
export function itemValueText(i: AssessItemResult): string {
  if (i.state === '待填报') return '需人工填报';
  if (i.state === '人工评分' || i.state === '待评分') return '—';
  return `${formatValue(i.value, i.unit)}${i.source ? '（人工填报）' : ''}`;
}

/** An item's target in the documents' words (不低于90%, 达到100%), or as the plan wrote it when it could not be read. */
export function itemTargetText(i: AssessItemResult): string {
  return i.target ? targetPhrase(i.target) : i.targetText ?? '—';
}
