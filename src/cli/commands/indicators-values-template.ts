// `gongwei indicators values-template --plan p.yaml -o 填报.xlsx`: a values file ready to fill in for the plan's
// 自定义 targets and hand-scored 考核 items (xlsx, csv or yaml by the -o extension).
import { GongweiError } from '../../errors.js';
import type { CommandMain } from '../run.js';
import { checkOutput, writeOutput } from '../output.js';
import { loadPlanForRender } from './render-common.js';

interface Options {
  plan: string;
  output: string;
  period?: string;
  by?: 'village';
  catalog?: string;
}

const main: CommandMain<Options> = async (_args, options) => {
  const ext = /\.(xlsx|csv|ya?ml)$/i.exec(options.output)?.[1]?.toLowerCase();
  if (!ext) throw new GongweiError('VALUES_FORMAT', `填报文件应以 .xlsx、.csv 或 .yaml 结尾：${options.output}`, { hint: '例如：-o 填报.xlsx', exitCode: 1 });
  checkOutput(options.output, { inputs: [options.plan] });
  const loaded = await loadPlanForRender(options.plan, options.catalog);
  if ('exit' in loaded) return loaded.exit;
  const { parsePeriod } = await import('../../indicators/period.js');
  const periodText = options.period ?? String(loaded.plan.年度 ?? '');
  if (!periodText) throw new GongweiError('VALUES_NO_PERIOD', '需要统计期间', { hint: '加 --period 2025', exitCode: 1 });
  const period = parsePeriod(periodText).label;
  const { planCustomTargets } = await import('../../plan/plan-targets.js');
  const { planScoredItems } = await import('./values-common.js');
  const custom = planCustomTargets(loaded.plan);
  // Items the plan scores itself (得分) need no row for the unit; villages are scored from the file only.
  const scored = planScoredItems(loaded.plan);
  if (!custom.length && !scored.length) {
    throw new GongweiError('VALUES_NOTHING', `计划中没有需要人工填报的指标或评分项目：${options.plan}`, { hint: '目录中没有的指标在计划中写“自定义: true”，其值由填报文件提供。', exitCode: 1 });
  }
  const byVillage = options.by === 'village' || loaded.plan.考核?.考核对象 === '各村卫生室';
  const listedSubjects = loaded.plan.考核?.考核对象;
  // A scheme that lists departments or people (考核对象: [公卫办, 妇幼科]): a row per 对象, in the 村 column.
  const villages = Array.isArray(listedSubjects) && options.by !== 'village'
    ? listedSubjects.map(String)
    : byVillage && Array.isArray(loaded.plan.基本情况?.行政村) ? loaded.plan.基本情况.行政村.map(String) : [];
  if (options.by === 'village' && !villages.length) {
    throw new GongweiError('VALUES_NO_VILLAGES', '计划“基本情况/行政村”没有列出村，无法生成逐村填报的行', { hint: '在计划中写 基本情况: {行政村: [青石村, 东溪村]}', exitCode: 1 });
  }
  const { valuesTemplate, valuesTemplateYaml } = await import('../../indicators/values/template.js');
  const sheet = valuesTemplate(custom, scored, period, villages);
  const { csvTable, xlsxTable } = await import('../../table.js');
  const data = ext === 'xlsx' ? await xlsxTable([sheet]) : Buffer.from(ext === 'csv' ? csvTable(sheet) : valuesTemplateYaml(sheet));
  writeOutput(data, options.output, { inputs: [options.plan], format: ext });
  process.stdout.write(`已生成填报文件：${options.output}（${sheet.rows.length}行；填写“数值”和“数据来源”后，用 --values 读取）\n`);
  return 0;
};
export default main;
