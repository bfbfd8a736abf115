// `gongwei plan assess <plan.yaml> --db --period`: the 绩效考核 score as a table, JSON or a document.
import fs from 'node:fs';
import type { CommandMain } from '../run.js';
import { GongweiError } from '../../errors.js';
import { checkBinaryToTerminal, checkOutput, toFile, writeOutput } from '../output.js';
import { defaultOutput, loadPlanForRender, warnPeriodOutsidePlanYear } from './render-common.js';

interface Options {
  db: string;
  period: string;
  format: 'text' | 'json' | 'docx' | 'html' | 'md';
  output?: string;
  catalog?: string;
  sqlTimeout?: string;
  templates?: string;
}

const main: CommandMain<Options> = async (args, options) => {
  const file = args[0] as string;
  const format = options.format ?? 'text';
  const document = format !== 'text' && format !== 'json';
  const out = options.output ?? (document ? defaultOutput(file, format, '.考核结果') : undefined);
  const guard = { inputs: [file], database: options.db };
  checkOutput(out, guard);
  checkBinaryToTerminal(format === 'docx', out, format);
  const loaded = await loadPlanForRender(file, options.catalog);
  if ('exit' in loaded) return loaded.exit;
  const { assessmentScheme } = await import('../../assessment/scheme.js');
  const { assess } = await import('../../assessment/score.js');
  const scheme = assessmentScheme(loaded.plan, loaded.catalog);
  if (!scheme || !scheme.items.length) {
    throw new GongweiError('ASSESS_NO_SCHEME', `计划中没有“考核”部分或没有考核项目：${file}`, { hint: '考核方案示例见 examples/ 中文档类型为“考核方案”的计划' });
  }
  if (!fs.existsSync(options.db)) {
    throw new GongweiError('DB_NOT_FOUND', `登记表数据库不存在：${options.db}`, { hint: '先用 gongwei registers import 导入登记表' });
  }
  const { parsePeriod } = await import('../../indicators/period.js');
  const period = parsePeriod(options.period);
  await warnPeriodOutsidePlanYear(loaded.plan, options.period);
  const { openDatabase } = await import('../../db.js');
  const { computeIndicators } = await import('../../indicators/compute.js');
  const db = openDatabase(options.db, { readonly: true, mustExist: true });
  const targets = scheme.items.filter((i) => i.indicatorId && i.target).map((i) => ({ indicatorId: i.indicatorId as string, target: i.target! }));
  let compute;
  try {
    const { sqlTimeoutMs } = await import('../sql-timeout.js');
    compute = computeIndicators(db, { period, only: [...new Set(targets.map((t) => t.indicatorId))], targets, catalog: loaded.catalog, sqlTimeoutMs: sqlTimeoutMs(options.sqlTimeout) });
  } finally {
    db.close();
  }
  const result = assess(scheme, compute.results, compute.period.label);
  if (format === 'json') {
    writeOutput(JSON.stringify(result, null, 2) + '\n', out, guard);
    return 0;
  }
  if (format === 'text') {
    const { default: Table } = await import('cli-table3');
    const t = new Table({ head: ['考核项目', '分值', '完成值', '目标', '得分', '说明'], style: { head: [], border: [] } });
    const { itemTargetText, itemValueText } = await import('../../assessment/score.js');
    for (const i of result.items) t.push([i.name, i.weight, itemValueText(i), itemTargetText(i), i.score, i.note]);
    t.push(['合计', result.weightSum, '', '', result.rawScore, '']);
    let text = `${t.toString()}\n总分：${result.total}（百分制）  等级：${result.grade}\n`;
    for (const n of result.notes) text += `说明：${n}\n`;
    writeOutput(text, out, guard);
    return 0;
  }
  const render = await import('../../render/render.js');
  const r = await render.renderAssessment(loaded.plan, result, period, { format, templatesDir: options.templates });
  writeOutput(r.output, out, { ...guard, format });
  if (toFile(out)) process.stdout.write(`已生成绩效考核结果：${out}（总分 ${result.total}，${result.grade}）\n`);
  else process.stderr.write(`总分 ${result.total}，${result.grade}\n`);
  return 0;
};
export default main;
