// Results against plan targets: status (达标/未达标/无目标/无数据) and the gap in people.
import type { Target } from '../catalog/target.js';
import type { IndicatorResult, IndicatorStatus } from './types.js';

const EPS = 1e-9;

/** Same unit family: a % target for a % indicator, a count target (人/次/份…) for a count indicator. */
export function unitsCompatible(indicatorUnit: string, targetUnit: string): boolean {
  if (targetUnit === '') return true;
  const rate = (u: string) => u === '%' || u === '‰' || u === '/10万';
  if (rate(indicatorUnit) || rate(targetUnit)) return indicatorUnit === targetUnit;
  return true;
}

/** The threshold a trend/growth/points target means, when it has a baseline; undefined otherwise. */
export function thresholdOf(target: Target): { op: '>=' | '>' | '<=' | '<' | '='; value: number } | undefined {
  switch (target.kind) {
    case 'threshold':
      return { op: target.op, value: target.value };
    case 'trend':
      return target.baseline === undefined ? undefined : { op: target.direction === 'up' ? '>' : '<', value: target.baseline };
    case 'growth':
      return target.baseline === undefined ? undefined : { op: '>=', value: target.baseline * (1 + target.percent / 100) };
    case 'points':
      return target.baseline === undefined ? undefined : { op: '>=', value: target.baseline + target.points };
  }
}

export interface TargetEvaluation {
  status: IndicatorStatus;
  gap?: number;
  reason?: string;
}

/** Status and gap of one result against a target (the result's own numbers; nothing is invented). */
export function evaluateTarget(result: Pick<IndicatorResult, 'value' | 'numerator' | 'denominator' | 'factor' | 'unit' | 'kind'>, target: Target | undefined): TargetEvaluation {
  if (!target) return { status: '无目标' };
  const t = thresholdOf(target);
  if (!t) return { status: '无目标', reason: '趋势或增长目标没有给出基线，无法判断' };
  if (target.kind === 'threshold' && !unitsCompatible(String(result.unit), String(target.unit))) {
    return { status: '无目标', reason: `目标单位（${target.unit}）与指标单位（${result.unit}）不一致` };
  }
  if (result.value === null || result.value === undefined) return { status: '无数据' };
  const v = result.value;
  const met =
    t.op === '>=' ? v >= t.value - EPS : t.op === '>' ? v > t.value + EPS : t.op === '<=' ? v <= t.value + EPS : t.op === '<' ? v < t.value - EPS : Math.abs(v - t.value) <= EPS;
  if (met) return { status: '达标', gap: 0 };
  return { status: '未达标', gap: gapPeople(result, t) };
}

/** Smallest number of people to move (into the numerator for ≥ targets, out of it for ≤ targets). */
function gapPeople(r: Pick<IndicatorResult, 'numerator' | 'denominator' | 'factor' | 'kind'>, t: { op: string; value: number }): number | undefined {
  const num = r.numerator ?? 0;
  const needed = r.kind === 'count' ? t.value : r.denominator ? (t.value * r.denominator) / r.factor : undefined;
  if (needed === undefined) return undefined;
  switch (t.op) {
    case '>=':
      return Math.max(0, Math.ceil(needed - num - EPS));
    case '>':
      return Math.max(0, Math.floor(needed - num + EPS) + 1);
    case '=':
      return Math.abs(Math.round(needed - num));
    case '<=':
      return Math.max(0, Math.ceil(num - needed - EPS));
    case '<':
      return Math.max(0, Math.floor(num - needed + EPS) + 1);
    default:
      return undefined;
  }
}
