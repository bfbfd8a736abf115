// `gongwei indicators compute`: indicators for a period, by village/doctor, against a plan's targets.
import { openDatabase } from '../../db.js';
import { GongweiError } from '../../errors.js';
import { loadIndicatorCatalog } from '../../catalog/indicators.js';
import { computeIndicators } from '../../indicators/compute.js';
import { parsePeriod } from '../../indicators/period.js';
import { checkPlanFile } from '../../plan/validate.js';
import { planIndicatorTargets } from '../../plan/plan-targets.js';
import { checkBinaryToTerminal, checkOutput, toFile, useColour, writeOutput } from '../output.js';
import { withCustomResults } from '../../indicators/values/results.js';
import { planValues, type PlanValues } from './values-common.js';
import { sqlTimeoutMs } from '../sql-timeout.js';
import { tableFormat } from '../../table.js';
import { reportComputeCsv, reportComputeJson, reportComputeText, reportComputeXlsx, type ComputeFormat } from '../reporters/indicators.js';

interface Options {
  db: string;
  period: string;
  by?: 'village' | 'doctor';
  only?: string[];
  plan?: string;
  values?: string;
  schedule?: string;
  catalog?: string;
  sqlTimeout?: string;
  format?: ComputeFormat;
  output?: string;
}

export default async function indicatorsCompute(_args: string[], opts: Options): Promise<number> {
  const guard = { inputs: [opts.plan], database: opts.db };
  checkOutput(opts.output, guard);
  const period = parsePeriod(opts.period);
  const sqlTimeout = sqlTimeoutMs(opts.sqlTimeout);
  const catalog = loadIndicatorCatalog({ schedule: opts.schedule, extraDirs: opts.catalog ? [opts.catalog] : [] });
  let targets: ReturnType<typeof planIndicatorTargets> | undefined;
  let manual: PlanValues | undefined;
  if (opts.values && !opts.plan) {
    throw new GongweiError('VALUES_NEED_PLAN', '--values 需要同时给出 --plan：填报的是计划中自定义指标的数值', { hint: '例如：--plan 计划.yaml --values 填报.xlsx', exitCode: 1 });
  }
  if (opts.plan) {
    const loaded = checkPlanFile(opts.plan, catalog);
    if (!loaded.plan) {
      const errors = loaded.issues.filter((i) => i.severity === 'error');
      const first = errors[0];
      throw new GongweiError('PLAN_INVALID', `计划文件有 ${errors.length} 个错误，不能用来对照目标：${opts.plan}${first ? `:${first.line}:${first.col} ${first.message}` : ''}`, {
        hint: `先运行 gongwei plan validate ${opts.plan} 修正错误。`,
        exitCode: 1,
      });
    }
    targets = planIndicatorTargets(loaded.plan, catalog);
    const v = await planValues(loaded.plan, catalog, opts.values, period.label);
    if ('exit' in v) return v.exit;
    manual = v;
  }
  const format = tableFormat(opts.format, opts.output);
  if (format === 'xlsx' && !opts.output) {
    throw new GongweiError('OUTPUT_REQUIRED', 'xlsx 格式需要用 -o 指定输出文件', { hint: '例如：-o 指标.xlsx（-o - 写到标准输出，供重定向）' });
  }
  checkBinaryToTerminal(format === 'xlsx', opts.output, 'xlsx');
  const db = openDatabase(opts.db, { readonly: true, mustExist: true });
  try {
    const computed = computeIndicators(db, { period, by: opts.by ?? null, only: opts.only, targets, schedule: opts.schedule, catalog, sqlTimeoutMs: sqlTimeout });
    // The plan's 自定义 targets are listed too: with the value a person supplied, or as 需人工填报.
    const custom = manual?.custom.filter((t) => !opts.only || opts.only.some((o) => o.trim() === t.name)) ?? [];
    const res = manual ? withCustomResults(computed, custom, manual.values) : computed;
    switch (format) {
      case 'json':
        writeOutput(reportComputeJson(res), opts.output, guard);
        break;
      case 'csv':
        writeOutput(reportComputeCsv(res), opts.output, guard);
        break;
      case 'xlsx':
        writeOutput(await reportComputeXlsx(res), opts.output, { ...guard, format: 'xlsx' });
        break;
      default: {
        let paint;
        if (!opts.output && useColour()) {
          const { default: chalk } = await import('chalk');
          paint = { ok: chalk.green, bad: chalk.red, dim: chalk.dim };
        }
        writeOutput(await reportComputeText(res, paint), opts.output, guard);
      }
    }
    if (toFile(opts.output)) process.stderr.write(`已写入 ${opts.output}\n`);
  } finally {
    db.close();
  }
  return 0;
}
