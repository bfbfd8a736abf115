// Every indicator target a plan states (工作目标, sections, 考核), resolved against the catalogue.
import { normalizeIndicatorName, type IndicatorCatalog } from '../catalog/indicators.js';
import type { Target } from '../catalog/target.js';
import type { Part, Plan, Section, TargetEntry } from './model.js';
import { parseTarget } from './parse-target.js';

export interface PlanTargetRef {
  entry: TargetEntry;
  /** JSON path of the entry, for positions. */
  path: (string | number)[];
}

/** All target entries of a plan (工作目标, the fixed parts, 正文's chapters), in document order, with their JSON paths. */
export function targetEntries(plan: Plan): PlanTargetRef[] {
  const out: PlanTargetRef[] = [];
  const goals = plan.工作目标;
  if (goals && typeof goals === 'object' && !Array.isArray(goals)) {
    (goals.指标 ?? []).forEach((entry, i) => out.push({ entry, path: ['工作目标', '指标', i] }));
  }
  const walk = (s: Section, path: (string | number)[]) => {
    (Array.isArray(s.指标) ? s.指标 : []).forEach((entry, i) => out.push({ entry, path: [...path, '指标', i] }));
    (Array.isArray(s.小节) ? s.小节 : []).forEach((c, i) => c && typeof c === 'object' && walk(c, [...path, '小节', i]));
  };
  for (const key of ['重点工作', '主要措施', '工作要求', '保障措施', '检查验收'] as const) {
    const v = plan[key];
    if (Array.isArray(v)) v.forEach((s, i) => s && typeof s === 'object' && walk(s as Section, [key, i]));
    else if (v && typeof v === 'object') {
      // A part with an opening paragraph: {内容, 指标, 任务, 小节}.
      const part = v as Part;
      (Array.isArray(part.指标) ? part.指标 : []).forEach((entry, i) => out.push({ entry, path: [key, '指标', i] }));
      (Array.isArray(part.小节) ? part.小节 : []).forEach((c, i) => c && typeof c === 'object' && walk(c, [key, '小节', i]));
    }
  }
  if (Array.isArray(plan.正文)) plan.正文.forEach((s, i) => s && typeof s === 'object' && walk(s, ['正文', i]));
  return out;
}

/** A 基线 with the unit of its target (60.5%, 12次); a bare number when the target has none; '' without a 基线. */
export function baselineText(t: Pick<TargetEntry, '基线' | '目标'>): string {
  if (typeof t.基线 !== 'number') return '';
  const r = parseTarget(t.目标);
  const unit = 'target' in r ? (r.target.kind === 'threshold' || r.target.kind === 'trend' ? r.target.unit ?? '' : r.target.kind === 'points' ? '%' : '') : '';
  return `${t.基线}${unit}`;
}

/** A target's 说明 as one phrase (no closing full stop); '' without one. */
export function targetNote(t: Pick<TargetEntry, '说明'>): string {
  return typeof t.说明 === 'string' ? t.说明.trim().replace(/[。；;]+$/, '') : '';
}

/** A resolved target of the plan, with the 基线 and 说明 the author wrote beside it (as text; '' when none). */
export interface PlanIndicatorTarget {
  indicatorId: string;
  target: Target;
  text: string;
  path: (string | number)[];
  baseline: string;
  note: string;
}

/** The plan's indicator targets that resolve and parse (validation reports the others). First target of an indicator wins. */
export function planIndicatorTargets(plan: Plan, catalog: IndicatorCatalog): PlanIndicatorTarget[] {
  const out: PlanIndicatorTarget[] = [];
  const seen = new Set<string>();
  const add = (name: string, text: string | number | undefined, path: (string | number)[], entry?: TargetEntry) => {
    const def = catalog.resolve(name);
    if (!def || text === undefined || seen.has(def.id)) return;
    const r = parseTarget(text);
    if (!('target' in r)) return;
    seen.add(def.id);
    const baseline = entry?.基线;
    const target = baseline !== undefined && r.target.kind !== 'threshold' ? { ...r.target, baseline } : r.target;
    out.push({ indicatorId: def.id, target, text: String(text), path, baseline: entry ? baselineText(entry) : '', note: entry ? targetNote(entry) : '' });
  };
  for (const { entry, path } of targetEntries(plan)) add(entry.指标, entry.目标, path, entry);
  (plan.考核?.指标 ?? []).forEach((it, i) => add(it.指标, it.目标, ['考核', '指标', i]));
  return out;
}

/** A 自定义 target: an indicator the catalogue does not hold, so its value comes from a person (a values file), never from the registers. */
export interface CustomTarget {
  name: string;
  target: Target;
  text: string;
  /** A rate (its name ends in 率 or its target carries %, ‰, /10万) or a count. */
  kind: 'rate' | 'count';
  /** The target's unit (%, ‰, /10万, 次 …); '%' for a rate whose target states none, '' for a bare count. */
  unit: string;
  path: (string | number)[];
  /** The 基线 and 说明 written beside the target ('' when none). */
  baseline: string;
  note: string;
}

const RATE_UNITS = ['%', '‰', '/10万'];

/** The plan's 自定义 targets that parse, in document order; first target of a name wins (validation reports duplicates). */
export function planCustomTargets(plan: Plan): CustomTarget[] {
  const out: CustomTarget[] = [];
  const seen = new Set<string>();
  for (const { entry, path } of targetEntries(plan)) {
    if (!entry || entry.自定义 !== true || typeof entry.指标 !== 'string' || entry.目标 === undefined) continue;
    const name = entry.指标.trim();
    const key = normalizeIndicatorName(name);
    if (seen.has(key)) continue;
    const r = parseTarget(entry.目标);
    if (!('target' in r)) continue;
    seen.add(key);
    const t = r.target.kind !== 'threshold' && entry.基线 !== undefined ? { ...r.target, baseline: entry.基线 } : r.target;
    const unit = t.kind === 'threshold' ? t.unit : t.kind === 'trend' ? t.unit ?? '' : '%';
    const kind = RATE_UNITS.includes(unit) || /率$/.test(name) ? 'rate' : 'count';
    out.push({ name, target: t, text: String(entry.目标), kind, unit: kind === 'rate' && !RATE_UNITS.includes(unit) ? '%' : unit, path, baseline: baselineText(entry), note: targetNote(entry) });
  }
  return out;
}
