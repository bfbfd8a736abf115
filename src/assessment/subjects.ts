// One scheme, scored for whom it assesses (考核对象): the unit, each village clinic, or each listed department or person.
import { GongweiError } from '../errors.js';
import type { ManualValue } from '../indicators/values/check.js';
import { customId, customResult } from '../indicators/values/results.js';
import { UNKNOWN_GROUP, type ComputeResult, type IndicatorResult } from '../indicators/types.js';
import type { CustomTarget } from '../plan/plan-targets.js';
import { assess, rankResults, type AssessItemResult, type AssessmentResult, type AssessScheme, type GivenScore, type RankedResult } from './score.js';

/** The scores given by hand in the values file for one subject ('' = the unit), by item name. */
export function givenScores(values: ManualValue[], period: string, subject: string): Map<string, GivenScore> {
  const m = new Map<string, GivenScore>();
  for (const v of values) if (v.kind === 'score' && v.period === period && v.village === subject) m.set(v.name, { score: v.value, source: v.source });
  return m;
}

/** The unit's result: indicators of the whole unit, scores given for the unit. */
export function assessUnit(scheme: AssessScheme, compute: ComputeResult, values: ManualValue[]): AssessmentResult {
  return assess(scheme, compute.results, compute.period.label, { scores: givenScores(values, compute.period.label, '') });
}

/**
 * One result per village clinic, ranked: indicators computed for the village (compute by village), manual values and
 * scores of the village. The villages are those the plan lists (基本情况/行政村), else those in the registers; rows
 * without a village are not a clinic. `unlisted`: villages of the registers the plan's list leaves out (not assessed).
 */
export function assessEachVillage(scheme: AssessScheme, compute: ComputeResult, values: ManualValue[], listed: string[]): { ranked: RankedResult[]; unlisted: string[] } {
  const found = [...new Set(compute.results.map((r) => r.group).filter((g): g is string => g !== null && g !== UNKNOWN_GROUP))];
  const villages = listed.length ? listed : found.sort((a, b) => a.localeCompare(b, 'zh'));
  if (!villages.length) throw new GongweiError('ASSESS_NO_VILLAGES', '没有可以逐村考核的村：计划“基本情况/行政村”没有列出，登记表中也没有村的名称', { hint: '在计划的 基本情况 中写 行政村: [青石村, 东溪村, …]', exitCode: 1 });
  const period = compute.period.label;
  const ranked = rankResults(villages.map((v) => assess(scheme, compute.results, period, { group: v, scores: givenScores(values, period, v) })));
  return { ranked, unlisted: found.filter((v) => !villages.includes(v)) };
}

/** What an indicator item of a listed department or person says: the registers do not record who did the work. */
export const UNIT_DATA_NOTE = '全院数据';

/**
 * One result per department or person the scheme lists (考核对象: [公卫办, 妇幼科]), ranked. The registers do not record
 * departments or people, so a catalogue indicator is the whole unit's value for every one of them (each such item says
 * 全院数据, and the result says so once); a 自定义 indicator's value and an item's score come from the values file row
 * of that 对象 (the 村/考核对象 column) — without one, the item is 待填报/待评分 and the grade 暂不评定.
 */
export function assessEachListed(scheme: AssessScheme, compute: ComputeResult, custom: CustomTarget[], values: ManualValue[], names: string[]): RankedResult[] {
  const period = compute.period.label;
  const customIds = new Set(custom.map((t) => customId(t.name)));
  // An item of a catalogue indicator: the whole unit's value.
  const unitData = (i: AssessItemResult): boolean => Boolean(i.indicatorId && !customIds.has(i.indicatorId));
  const unit = compute.results.filter((r) => r.group === null && !customIds.has(r.id));
  const results = names.map((name) => {
    const own: IndicatorResult[] = [...unit.map((r) => ({ ...r, group: name })), ...custom.map((t) => customResult(t, compute.period, name, values))];
    const r = assess(scheme, own, period, { group: name, scores: givenScores(values, period, name) });
    const shared = r.items.filter(unitData);
    if (!shared.length) return r;
    return {
      ...r,
      items: r.items.map((i) => (unitData(i) ? { ...i, note: `${i.note}（${UNIT_DATA_NOTE}）` } : i)),
      notes: [...r.notes, `${shared.map((i) => i.name).join('、')}按全院登记表数据计算（登记表不区分科室和人员），各考核对象相同。`],
    };
  });
  return rankResults(results);
}
