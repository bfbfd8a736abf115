// Shared by plan render / plan assess: load the plan (refusing one with errors), resolve its targets, name the output file.
import { formatPosition, type Issue } from '../../issues.js';
import { displayName } from '../../files.js';
import type { Target } from '../../catalog/target.js';
import type { IndicatorCatalog } from '../../catalog/indicators.js';
import type { Plan } from '../../plan/model.js';

export interface LoadedPlan {
  plan: Plan;
  targets: Array<{ indicatorId: string; target: Target; text: string }>;
  /** The built-in indicators and those of --catalog. */
  catalog: IndicatorCatalog;
}

/** Load a plan file; errors in it (schema or rules, as plan validate finds them, against the built-in and --catalog indicators) are printed with file:line:col and stop the command (exit 1). */
export async function loadPlanForRender(file: string, catalogDir?: string): Promise<LoadedPlan | { exit: number }> {
  const { checkPlanFile } = await import('../../plan/validate.js');
  const { loadIndicatorCatalog } = await import('../../catalog/indicators.js');
  const catalog = loadIndicatorCatalog({ extraDirs: catalogDir ? [catalogDir] : [] });
  const { plan, issues } = checkPlanFile(file, catalog) as { plan?: Plan; issues: Issue[] };
  const errors = issues.filter((i) => i.severity === 'error');
  if (!plan || errors.length) {
    for (const i of errors) process.stderr.write(`${formatPosition({ ...i, file: displayName(file) })} 错误 [${i.code}]：${i.message}\n`);
    process.stderr.write(`计划文件有 ${errors.length} 个错误，未生成文件；请先修正（gongwei plan validate ${file}）。\n`);
    return { exit: 1 };
  }
  const { planIndicatorTargets } = await import('../../plan/plan-targets.js');
  const targets = planIndicatorTargets(plan, catalog);
  return { plan, catalog, targets: targets.map((t: { indicatorId: string; target: Target; text: string }) => ({ indicatorId: t.indicatorId, target: t.target, text: t.text })) };
}

/** A warning line (stderr) when the statistical period does not lie in the plan's 年度: a 2019 summary of a 2025 plan is a slip. */
export async function warnPeriodOutsidePlanYear(plan: Plan, periodText: string): Promise<void> {
  const year = Number(plan.年度);
  if (!Number.isInteger(year)) return;
  const { parsePeriod } = await import('../../indicators/period.js');
  const p = parsePeriod(periodText);
  if (p.start.slice(0, 4) !== String(year) || p.end.slice(0, 4) !== String(year)) {
    process.stderr.write(`警告 [PERIOD_OUTSIDE_PLAN_YEAR]：统计期间 ${periodText}（${p.start} 至 ${p.end}）不在计划年度 ${year} 年内，请确认 --period 是否写对\n`);
  }
}

/** Default output name: next to the plan, with the format's extension (and a suffix for derived documents). */
export function defaultOutput(planFile: string, format: string, suffix = ''): string {
  // A plan read from standard input has no name to follow: the document goes to standard output.
  if (planFile === '-') return '-';
  const base = planFile.replace(/\.(ya?ml)$/i, '');
  return `${base}${suffix}.${format}`;
}
