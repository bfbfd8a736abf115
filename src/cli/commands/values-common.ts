// --values FILE for indicators compute --plan, plan render --summary and plan assess: read and check the values file
// against the plan; warnings go to stderr, errors (with file and row) stop the command before anything is written.
import { formatPosition } from '../../issues.js';
import type { IndicatorCatalog } from '../../catalog/indicators.js';
import { asList, type Plan } from '../../plan/model.js';
import { planCustomTargets, type CustomTarget } from '../../plan/plan-targets.js';
import type { ManualValue, ScoredItem } from '../../indicators/values/index.js';

/** The 考核 items scored by hand (其他项目): a values file may give their scores. */
export function planScoredItems(plan: Plan): ScoredItem[] {
  return asList(plan.考核?.其他项目).map((o) => ({ name: String(o.名称 ?? '').trim(), weight: Number(o.分值 ?? 0) })).filter((o) => o.name);
}

export interface PlanValues {
  custom: CustomTarget[];
  values: ManualValue[];
}

/** The plan's 自定义 targets and, with --values, the values of the file; `exit` when the file has errors. */
export async function planValues(plan: Plan, catalog: IndicatorCatalog, file: string | undefined, period?: string): Promise<PlanValues | { exit: number }> {
  const custom = planCustomTargets(plan);
  if (!file) return { custom, values: [] };
  const { loadValues } = await import('../../indicators/values/index.js');
  const villages = Array.isArray(plan.基本情况?.行政村) ? plan.基本情况.行政村.map(String) : [];
  const listed = plan.考核?.考核对象;
  const subjects = Array.isArray(listed) ? listed.map((x) => String(x).trim()).filter(Boolean) : [];
  const { values, issues } = await loadValues(file, { custom, scored: planScoredItems(plan), villages, subjects }, catalog);
  if (period && values.length && !values.some((v) => v.period === period)) {
    issues.push({ code: 'VALUES_OTHER_PERIOD', severity: 'warning', message: `填报文件中没有统计期间 ${period} 的行（有：${[...new Set(values.map((v) => v.period))].join('、')}），自定义指标仍为“需人工填报”`, file });
  }
  const errors = issues.filter((i) => i.severity === 'error');
  for (const i of issues) {
    process.stderr.write(`${formatPosition(i)} ${i.severity === 'error' ? '错误' : '警告'} [${i.code}]：${i.message}\n`);
    if (i.hint) process.stderr.write(`    提示：${i.hint}\n`);
  }
  if (errors.length) {
    process.stderr.write(`填报文件有 ${errors.length} 个错误，未输出结果；请先修正：${file}\n`);
    return { exit: 1 };
  }
  return { custom, values };
}
