// `gongwei plan render <plan.yaml>`: the plan as DOCX/HTML/MD; with --summary, the year-end summary from the database.
import type { CommandMain } from '../run.js';
import { GongweiError } from '../../errors.js';
import { checkBinaryToTerminal, checkOutput, toFile, writeOutput } from '../output.js';
import { defaultOutput, loadPlanForRender, warnPeriodOutsidePlanYear } from './render-common.js';

interface Options {
  format: 'docx' | 'html' | 'md';
  output?: string;
  summary?: boolean;
  db: string;
  period?: string;
  catalog?: string;
  sqlTimeout?: string;
  templates?: string;
  values?: string;
}

const main: CommandMain<Options> = async (args, options) => {
  const file = args[0] as string;
  const format = options.format ?? 'docx';
  const out = options.output ?? defaultOutput(file, format, options.summary ? '.工作总结' : '');
  const guard = { inputs: [file], database: options.summary ? options.db : undefined };
  checkOutput(out, guard);
  checkBinaryToTerminal(format === 'docx', out, format);
  if (options.summary) return summary(file, out, guard, options);
  const loaded = await loadPlanForRender(file, options.catalog);
  if ('exit' in loaded) return loaded.exit;
  const render = await import('../../render/render.js');
  if (options.values) throw new GongweiError('VALUES_NEED_SUMMARY', '--values 只用于工作总结（--summary）', { hint: '例如：plan render 计划.yaml --summary --period 2025 --values 填报.xlsx', exitCode: 1 });
  const r = await render.renderPlan(loaded.plan, { format, templatesDir: options.templates });
  writeOutput(r.output, out, { ...guard, format });
  if (toFile(out)) process.stdout.write(`已生成：${out}\n`);
  return 0;
};

/** The year-end summary: the document writer loads (on a second thread) while the plan is read and the indicators computed. */
async function summary(file: string, out: string, guard: { inputs: string[]; database?: string }, options: Options): Promise<number> {
  const format = options.format ?? 'docx';
  const { summaryRenderer } = await import('../../render/summary-thread.js');
  const renderer = summaryRenderer({ format, templatesDir: options.templates });
  try {
    const loaded = await loadPlanForRender(file, options.catalog);
    if ('exit' in loaded) return loaded.exit;
    const periodText = options.period ?? String(loaded.plan.年度 ?? '');
    if (!periodText) throw new GongweiError('SUMMARY_NO_PERIOD', '生成工作总结需要统计期间', { hint: '加 --period 2025' });
    await warnPeriodOutsidePlanYear(loaded.plan, periodText);
    const { computeForSummary } = await import('../../summary/compute.js');
    const { summaryData } = await import('../../summary/data.js');
    const { sqlTimeoutMs } = await import('../sql-timeout.js');
    const { planValues } = await import('./values-common.js');
    const { parsePeriod } = await import('../../indicators/period.js');
    const manual = await planValues(loaded.plan, loaded.catalog, options.values, parsePeriod(periodText).label);
    if ('exit' in manual) return manual.exit;
    const compute = await computeForSummary(options.db, periodText, loaded.targets, loaded.catalog, sqlTimeoutMs(options.sqlTimeout), manual);
    const r = await renderer.render(summaryData(loaded.plan, compute, loaded.targets, loaded.catalog));
    writeOutput(r.output, out, { ...guard, format });
    if (compute.dataProblem) process.stderr.write(`注意：${compute.dataProblem}\n`);
    if (toFile(out)) process.stdout.write(`已生成工作总结：${out}\n`);
    return 0;
  } finally {
    renderer.close();
  }
}
export default main;
