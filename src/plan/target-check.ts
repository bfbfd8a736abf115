// Whether a parsed target says what its author meant for its indicator: a rate's unit written out, a value a rate can take.
import { normalizeTargetText } from './parse-target.js';
import type { Target } from '../catalog/target.js';

export interface TargetProblem {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
}

/** What the check needs to know of an indicator; `unit` is undefined for a 自定义 rate whose unit the plan alone states. */
export interface TargetOwner {
  name: string;
  kind: 'rate' | 'count';
  unit?: string;
}

const RATE_UNITS = ['%', '‰', '/10万'];

/** A 自定义 indicator: a rate when its name ends in 率 or its target carries a rate unit, else a count. */
export function customOwner(name: string, target: Target): TargetOwner {
  const unit = target.kind === 'threshold' && RATE_UNITS.includes(target.unit) ? target.unit : undefined;
  return { name, kind: unit || /率$/.test(name.trim()) ? 'rate' : 'count', unit };
}

/** A plain YAML value as the author would type it: quoted when it starts with a character YAML reserves. */
function asYaml(s: string): string {
  return /^[>|@`*&!%{[\]#'"]/.test(s) ? `'${s}'` : s;
}

/** The author's text with the rate unit added (0.95 → 95%, ≥95 → ≥95%, 98以上 → 98%以上); undefined when no value fits. */
export function withUnit(written: string | number, unit: string): string | undefined {
  const text = typeof written === 'number' ? String(written) : normalizeTargetText(written);
  const m = /\d+(?:\.\d+)?/.exec(text);
  if (!m) return undefined;
  const v = Number(m[0]);
  const value = unit === '%' && v > 0 && v <= 1 ? +(v * 100).toFixed(6) : v;
  if (unit === '%' && value > 100) return undefined;
  return text.slice(0, m.index) + `${value}${unit}` + text.slice(m.index + m[0].length);
}

/** Problems of one parsed target against its indicator (none for trends, growth and points: they carry no unit). */
export function targetProblems(t: Target, written: string | number, owner: TargetOwner): TargetProblem[] {
  if (t.kind !== 'threshold') return [];
  const shown = String(written);
  // A count's target may leave out its unit (12 = 12次); a rate's may not, except zero (为零).
  if (!t.unit && (owner.kind === 'count' || t.value === 0)) return [];
  if (!t.unit) {
    if (owner.unit) {
      const fix = withUnit(written, owner.unit);
      const one = owner.unit === '%' && t.value === 1 ? '（若是指 1%，写“1%”）' : '';
      return [{
        code: 'PLAN_TARGET_NO_UNIT', severity: 'error',
        message: `「${owner.name}」是比率，目标“${shown}”没有写“${owner.unit}”${fix ? `：是指“${fix}”吗？` : ''}`,
        hint: fix ? `写成“目标: ${asYaml(fix)}”${one}。` : `比率的目标要写明“${owner.unit}”，如“不低于95${owner.unit}”。`,
      }];
    }
    const fix = withUnit(written, '%');
    return [{
      code: 'PLAN_TARGET_NO_UNIT', severity: 'error',
      message: `「${owner.name}」是比率，目标“${shown}”没有写单位${fix ? `：是指“${fix}”吗？` : ''}`,
      hint: `比率的目标要写明单位：%、‰ 或 /10万${fix ? `，如“目标: ${asYaml(fix)}”` : ''}。`,
    }];
  }
  if (owner.kind === 'count' && RATE_UNITS.includes(t.unit)) {
    return [{ code: 'PLAN_TARGET_UNIT', severity: 'error', message: `「${owner.name}」是计数${owner.unit ? `（单位“${owner.unit}”）` : ''}，目标却写成了“${t.unit}”` }];
  }
  const unit = owner.unit ?? t.unit;
  if (owner.kind === 'rate' && t.unit !== unit) {
    return [{ code: 'PLAN_TARGET_UNIT', severity: 'error', message: `「${owner.name}」的单位是“${unit}”，目标却写成了“${t.unit}”` }];
  }
  if (owner.kind === 'rate' && !RATE_UNITS.includes(t.unit)) {
    return [{ code: 'PLAN_TARGET_UNIT', severity: 'error', message: `「${owner.name}」是比率，目标却写成了“${t.unit}”` }];
  }
  if (unit === '%' && (t.value > 100 || t.value < 0)) {
    return [{ code: 'PLAN_TARGET_RANGE', severity: 'error', message: `「${owner.name}」的目标 ${t.value}% 超出 0～100% 的范围` }];
  }
  if (unit === '‰' && t.value > 1000) {
    return [{ code: 'PLAN_TARGET_RANGE', severity: 'error', message: `「${owner.name}」的目标 ${t.value}‰ 超出范围` }];
  }
  if (unit === '%' && t.value === 100 && (t.op === '>=' || t.op === '>')) {
    return [t.op === '>'
      ? { code: 'PLAN_TARGET_100', severity: 'error', message: `「${owner.name}」的目标“${shown}”不可能达到（比率不会超过100%）`, hint: '建议直接写“100%”、“达到100%”或“全覆盖”。' }
      : { code: 'PLAN_TARGET_100', severity: 'warning', message: `目标“${shown}”按“100%”理解（比率最高为100%）`, hint: '建议直接写“100%”、“达到100%”或“全覆盖”。' }];
  }
  return [];
}
