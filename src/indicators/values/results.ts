// The plan's 自定义 targets as results beside the computed ones: the value a person supplied (人工填报, with its
// 数据来源) evaluated against the target like a computed value, or 需人工填报 while no one has supplied it.
import type { CustomTarget } from '../../plan/plan-targets.js';
import { evaluateTarget } from '../evaluate-target.js';
import type { ComputeResult, IndicatorResult, Period } from '../types.js';
import type { ManualValue } from './check.js';

const FACTORS: Record<string, number> = { '%': 100, '‰': 1000, '/10万': 100000 };

/** The id a 自定义 indicator has in results (it is not in the catalogue). */
export const customId = (name: string) => `custom:${name}`;

/** What a missing 自定义 value says in every output. */
export const NEEDS_VALUE = '需人工填报（自定义指标，不从登记表计算）';

/** The result of one 自定义 target for one group (null = the whole unit), from the values that apply. */
export function customResult(t: CustomTarget, period: Period, group: string | null, values: ManualValue[]): IndicatorResult {
  const v = values.find((x) => x.kind === 'indicator' && x.name === t.name && x.period === period.label && x.village === (group ?? ''));
  const base = {
    id: customId(t.name),
    name: t.name,
    unit: t.unit,
    kind: t.kind,
    factor: t.kind === 'rate' ? FACTORS[t.unit] ?? 100 : 1,
    period,
    group,
    target: t.target,
    custom: true,
  } as const;
  if (!v) return { ...base, numerator: null, denominator: null, value: null, reason: NEEDS_VALUE, status: '需人工填报' };
  const r: IndicatorResult = { ...base, numerator: v.numerator, denominator: v.denominator, value: v.value, manual: { source: v.source, ...(v.note ? { note: v.note } : {}), at: v.at } };
  const e = evaluateTarget(r, t.target);
  return { ...r, status: e.status, ...(e.gap !== undefined && (t.kind === 'count' || v.denominator !== null) ? { gap: e.gap, gapUnit: t.kind === 'count' ? t.unit || '人' : '人' } : {}), ...(e.reason ? { reason: e.reason } : {}) };
}

/**
 * The computation with the plan's 自定义 targets added: for the whole unit after the computed totals, and for each
 * group (village) the computation has, after that group's results. Values for other periods are not used.
 */
export function withCustomResults(res: ComputeResult, custom: CustomTarget[], values: ManualValue[]): ComputeResult {
  if (!custom.length) return res;
  const groups = [...new Set(res.results.filter((r) => r.group !== null).map((r) => r.group as string))];
  // A village only the values file names is a group too (a village clinic without register rows).
  if (res.by === 'village') for (const v of values) if (v.kind === 'indicator' && v.village && v.period === res.period.label && !groups.includes(v.village)) groups.push(v.village);
  const results: IndicatorResult[] = [
    ...res.results.filter((r) => r.group === null),
    ...custom.map((t) => customResult(t, res.period, null, values)),
  ];
  for (const g of groups) results.push(...res.results.filter((r) => r.group === g), ...(res.by === 'village' ? custom.map((t) => customResult(t, res.period, g, values)) : []));
  return { ...res, results };
}

/** The words a value supplied by a person carries: 人工填报，数据来源：县妇幼保健院年报. */
export function manualWords(r: Pick<IndicatorResult, 'manual'>): string {
  return r.manual ? `人工填报，数据来源：${r.manual.source}` : '';
}
