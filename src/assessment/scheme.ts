// The plan's 考核 section as a scoring scheme: items with indicators resolved and targets parsed, the rule, the grades.
import { loadIndicatorCatalog, type IndicatorCatalog } from '../catalog/indicators.js';
import type { Target } from '../catalog/target.js';
import { asList, consequencesByGrade, type Plan } from '../plan/model.js';
import { parseTarget } from '../plan/parse-target.js';
import { planCustomTargets, planIndicatorTargets } from '../plan/plan-targets.js';
import { normalizeIndicatorName } from '../catalog/indicators.js';
import { customId } from '../indicators/values/results.js';
import type { AssessScheme, AssessSubject, GradeThreshold, ScoringRule } from './score.js';

export { DEFAULT_GRADES } from './score.js';

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v).trim());

/** A scoring rule in words, for the scheme's table. */
export function ruleWords(rule: ScoringRule | undefined): string {
  if (!rule || rule.kind === 'proportional') return '达标得满分，未达标按完成比例得分';
  if (rule.kind === 'all-or-nothing') return '达标得满分，未达标不得分';
  return `达标得满分，每低1个百分点扣${rule.perPoint}分`;
}

/** The grade thresholds in words: 考核实行百分制，90分（含）以上为优秀，… */
export function gradeText(grades: GradeThreshold[]): string {
  const s = [...grades].sort((a, b) => b.min - a.min);
  const parts = s.map((g, i) => {
    const upper = s[i - 1]?.min;
    if (i === 0) return `${g.min}分（含）以上为${g.grade}`;
    if (g.min <= 0) return `${upper}分以下为${g.grade}`;
    return `${g.min}分（含）至${upper}分为${g.grade}`;
  });
  return `考核实行百分制，${parts.join('，')}。`;
}

/** A 评分办法 as written (按比例得分、达标得分、每低1个百分点扣N分) → a rule; undefined when it names none. */
export function parseRule(v: unknown): ScoringRule | undefined {
  const s = str(v);
  if (!s) return undefined;
  if (/按比例|比例/.test(s)) return { kind: 'proportional' };
  if (/不得分|全或无|达标得分/.test(s)) return { kind: 'all-or-nothing' };
  const m = /扣\s*(\d+(?:\.\d+)?)\s*分/.exec(s);
  if (m) return { kind: 'deduct', perPoint: Number(m[1]) };
  return undefined;
}

/**
 * The plan's 考核 section with every target parsed and every indicator resolved in the catalogue (the merged one when
 * custom indicators are in use); null when the plan has none.
 */
export function assessmentScheme(plan: Plan, catalog: IndicatorCatalog = loadIndicatorCatalog()): AssessScheme | null {
  const k = plan.考核;
  if (!k) return null;
  // An item may score one of the plan's 自定义 indicators: its value is supplied by hand (values file).
  const custom = new Map(planCustomTargets(plan).map((t) => [normalizeIndicatorName(t.name), t]));
  // An item without its own 目标 takes the plan's target for the indicator (工作目标 …), as the schema says.
  const planTargets = new Map(planIndicatorTargets(plan, catalog).map((t) => [t.indicatorId, t.target]));
  const items: AssessScheme['items'] = asList(k.指标).map((it) => {
    const ref = str(it.指标);
    const resolved = ref ? catalog.resolve(ref) : undefined;
    const own = resolved ? undefined : custom.get(normalizeIndicatorName(ref));
    const targetText = str(it.目标);
    const parsed = targetText ? parseTarget(targetText) : undefined;
    const target: Target | undefined = parsed && 'target' in parsed ? parsed.target : own?.target ?? (resolved ? planTargets.get(resolved.id) : undefined);
    return {
      indicatorId: resolved?.id ?? (own ? customId(own.name) : undefined),
      name: str(it.名称) || resolved?.name || own?.name || ref,
      weight: Number(it.分值 ?? 0),
      target,
      rule: parseRule(it.评分办法),
    };
  });
  for (const o of asList(k.其他项目)) {
    items.push({
      name: str(o.名称),
      weight: Number(o.分值 ?? 0),
      manualScore: o.得分 === undefined ? undefined : Number(o.得分),
      description: str(o.说明) || undefined,
    });
  }
  const grades = k.等级 ? Object.entries(k.等级).map(([grade, min]) => ({ grade, min: Number(min) })) : undefined;
  const consequences = k.结果运用 ? Object.fromEntries(Object.entries(consequencesByGrade(k)).map(([g, c]) => [g, str(c)])) : undefined;
  return { items, subject: subjectOf(k.考核对象), grades, rule: parseRule(k.评分办法), consequences };
}

/** 考核对象 as written: 本单位 (or nothing), 各村卫生室, or a list of departments/people. */
export function subjectOf(v: unknown): AssessSubject {
  if (Array.isArray(v)) return { kind: 'list', names: v.map(str).filter(Boolean) };
  return str(v) === '各村卫生室' ? { kind: 'villages' } : { kind: 'unit' };
}

/** Whom the document says was assessed: 青石镇卫生院, 各村卫生室, 公卫办、妇幼科. */
export function subjectWords(subject: AssessSubject | undefined, unit: string): string {
  if (subject?.kind === 'villages') return '各村卫生室';
  if (subject?.kind === 'list') return subject.names.join('、');
  return unit;
}
