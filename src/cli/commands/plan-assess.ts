// `gongwei plan assess <plan.yaml> --db --period [--by village] [--values]`: the 绩效考核 score — of the unit, or one per
// village with a ranking — as a table, JSON, xlsx or a document.
import fs from 'node:fs';
import type { CommandMain } from '../run.js';
import { GongweiError } from '../../errors.js';
import type { AssessmentResult, GivenScore, RankedResult } from '../../assessment/score.js';
import { UNKNOWN_GROUP } from '../../indicators/types.js';
import type { Sheet } from '../../table.js';
import { checkBinaryToTerminal, checkOutput, toFile, writeOutput, type OutputGuard } from '../output.js';
import { defaultOutput, loadPlanForRender, warnPeriodOutsidePlanYear } from './render-common.js';

type Format = 'text' | 'json' | 'xlsx' | 'docx' | 'html' | 'md';

interface Options {
  db: string;
  period: string;
  by?: 'unit' | 'village';
  values?: string;
  format?: Format;
  output?: string;
  catalog?: string;
  sqlTimeout?: string;
  templates?: string;
}

/** -f, else the -o file's extension, else a table on the terminal. */
function formatOf(options: Options): Format {
  if (options.format) return options.format;
  const ext = /\.(json|xlsx|docx|html|md)$/i.exec(options.output ?? '')?.[1]?.toLowerCase();
  return (ext as Format | undefined) ?? 'text';
}

const main: CommandMain<Options> = async (args, options) => {
  const file = args[0] as string;
  const loaded = await loadPlanForRender(file, options.catalog);
  if ('exit' in loaded) return loaded.exit;
  const { assessmentScheme } = await import('../../assessment/scheme.js');
  const { assess, rankResults } = await import('../../assessment/score.js');
  const scheme = assessmentScheme(loaded.plan, loaded.catalog);
  if (!scheme || !scheme.items.length) {
    throw new GongweiError('ASSESS_NO_SCHEME', `计划中没有“考核”部分或没有考核项目：${file}`, { hint: '考核方案示例见 examples/ 中文档类型为“考核方案”的计划' });
  }
  if (!fs.existsSync(options.db)) {
    throw new GongweiError('DB_NOT_FOUND', `登记表数据库不存在：${options.db}`, { hint: '先用 gongwei registers import 导入登记表' });
  }
  // By village when asked, or when the scheme assesses 各村卫生室 and --by is not given.
  const byVillage = (options.by ?? (scheme.subject?.kind === 'villages' ? 'village' : 'unit')) === 'village';
  const format = formatOf(options);
  const document = format === 'docx' || format === 'html' || format === 'md';
  const out = options.output ?? (document ? defaultOutput(file, format, byVillage ? '.逐村考核结果' : '.考核结果') : undefined);
  const guard: OutputGuard = { inputs: [file, options.values], database: options.db };
  checkOutput(out, guard);
  checkBinaryToTerminal(format === 'docx' || format === 'xlsx', out, format);
  const where: Where = { out, guard, format, file };
  const { parsePeriod } = await import('../../indicators/period.js');
  const period = parsePeriod(options.period);
  await warnPeriodOutsidePlanYear(loaded.plan, options.period);
  const { planValues } = await import('./values-common.js');
  const manual = await planValues(loaded.plan, loaded.catalog, options.values, period.label);
  if ('exit' in manual) return manual.exit;

  const { openDatabase } = await import('../../db.js');
  const { computeIndicators } = await import('../../indicators/compute.js');
  const { customId, withCustomResults } = await import('../../indicators/values/results.js');
  const customIds = new Set(manual.custom.map((t) => customId(t.name)));
  const targets = scheme.items.filter((i) => i.indicatorId && i.target && !customIds.has(i.indicatorId)).map((i) => ({ indicatorId: i.indicatorId as string, target: i.target! }));
  const db = openDatabase(options.db, { readonly: true, mustExist: true });
  let compute;
  try {
    const { sqlTimeoutMs } = await import('../sql-timeout.js');
    const only = [...new Set(targets.map((t) => t.indicatorId))];
    compute = computeIndicators(db, { period, by: byVillage ? 'village' : null, only, targets, catalog: loaded.catalog, sqlTimeoutMs: sqlTimeoutMs(options.sqlTimeout) });
  } finally {
    db.close();
  }
  compute = withCustomResults(compute, manual.custom, manual.values);
  const scoresFor = (village: string) => {
    const m = new Map<string, GivenScore>();
    for (const v of manual.values) if (v.kind === 'score' && v.period === compute.period.label && v.village === village) m.set(v.name, { score: v.value, source: v.source });
    return m;
  };

  if (!byVillage) {
    const result = assess(scheme, compute.results, compute.period.label, { scores: scoresFor('') });
    return writeUnit(result, where, options, loaded.plan, period, scheme.subject);
  }
  // The villages the plan lists (基本情况/行政村), else those in the registers; rows without a village are not a clinic.
  const listed = Array.isArray(loaded.plan.基本情况?.行政村) ? loaded.plan.基本情况.行政村.map(String) : [];
  const found = [...new Set(compute.results.map((r) => r.group).filter((g): g is string => g !== null && g !== UNKNOWN_GROUP))];
  const villages = listed.length ? listed : found.sort((a, b) => a.localeCompare(b, 'zh'));
  if (!villages.length) throw new GongweiError('ASSESS_NO_VILLAGES', '没有可以逐村考核的村：计划“基本情况/行政村”没有列出，登记表中也没有村的名称', { hint: '在计划的 基本情况 中写 行政村: [青石村, 东溪村, …]', exitCode: 1 });
  const unlisted = found.filter((v) => !villages.includes(v));
  if (unlisted.length) process.stderr.write(`注意：登记表中的${unlisted.join('、')}不在计划“基本情况/行政村”中，未参加考核\n`);
  const ranked = rankResults(villages.map((v) => assess(scheme, compute.results, compute.period.label, { group: v, scores: scoresFor(v) })));
  return writeVillages(ranked, where, options, loaded.plan, period, scheme.consequences);
};
export default main;

/** Where the result goes: -o (or the default document name) or standard output, guarded against overwriting an input. */
interface Where {
  out: string | undefined;
  guard: OutputGuard;
  format: Format;
  file: string;
}

/** Write the result and say so (on stderr when the result itself went to standard output). */
function emit(data: string | Buffer, w: Where, done?: string): void {
  writeOutput(data, w.out, { ...w.guard, format: w.format });
  if (!done) return;
  if (toFile(w.out)) process.stdout.write(`已生成绩效考核结果：${w.out}（${done}）\n`);
  else process.stderr.write(`${done}\n`);
}

/** The items of one result as a sheet (the terminal table, an xlsx worksheet). */
async function itemsSheet(r: AssessmentResult, name: string): Promise<Sheet> {
  const { itemTargetText, itemValueText } = await import('../../assessment/score.js');
  return {
    name,
    columns: [
      { key: 'name', header: '考核项目', width: 28 },
      { key: 'weight', header: '分值', width: 8 },
      { key: 'value', header: '完成值', width: 16 },
      { key: 'target', header: '目标', width: 14 },
      { key: 'score', header: '得分', width: 8 },
      { key: 'note', header: '说明', width: 50, wrap: 40 },
    ],
    rows: [
      ...r.items.map((i) => ({ name: i.name, weight: i.weight, value: itemValueText(i), target: itemTargetText(i), score: i.score, note: i.note })),
      { name: '合计', weight: r.weightSum, value: '', target: '', score: r.rawScore, note: '' },
    ],
  };
}

const conclusion = (r: AssessmentResult) => `总分：${r.total}（百分制）  等级：${r.grade}${r.missing.length ? `（待评：${r.missing.join('、')}）` : ''}`;

async function writeUnit(result: AssessmentResult, w: Where, options: Options, plan: import('../../plan/model.js').Plan, period: import('../../indicators/types.js').Period, subject: import('../../assessment/score.js').AssessSubject | undefined): Promise<number> {
  if (w.format === 'json') {
    emit(JSON.stringify(result, null, 2) + '\n', w);
    return 0;
  }
  const { textTable, xlsxTable } = await import('../../table.js');
  if (w.format === 'text') {
    let text = `${(await textTable([await itemsSheet(result, '考核得分')])).trimEnd()}\n${conclusion(result)}\n`;
    for (const n of result.notes) text += `说明：${n}\n`;
    emit(text, w);
    return 0;
  }
  const done = `总分 ${result.total}，${result.grade}`;
  if (w.format === 'xlsx') {
    emit(await xlsxTable([await itemsSheet(result, '考核得分')]), w, done);
    return 0;
  }
  const render = await import('../../render/render.js');
  const r = await render.renderAssessment(plan, result, period, { format: w.format, templatesDir: options.templates, subject });
  emit(r.output, w, done);
  return 0;
}

/** The ranking: place, village, total, grade and what is still missing. */
function rankingSheet(ranked: RankedResult[]): Sheet {
  return {
    name: '排名',
    columns: [
      { key: 'rank', header: '排名', width: 6 },
      { key: 'village', header: '村卫生室', width: 14 },
      { key: 'total', header: '得分', width: 8 },
      { key: 'grade', header: '等级', width: 10 },
      { key: 'missing', header: '待评项目', width: 40, wrap: 30 },
    ],
    rows: ranked.map((r) => ({ rank: r.rank ?? '—', village: r.result.subject, total: r.result.total, grade: r.result.grade, missing: r.result.missing.join('、') })),
  };
}

async function writeVillages(ranked: RankedResult[], w: Where, options: Options, plan: import('../../plan/model.js').Plan, period: import('../../indicators/types.js').Period, consequences: Record<string, string> | undefined): Promise<number> {
  const done = `已逐村考核 ${ranked.length} 个村卫生室`;
  if (w.format === 'json') {
    const j = { period: ranked[0]?.result.period ?? period.label, subject: '各村卫生室', ranking: ranked.map((r) => ({ rank: r.rank, village: r.result.subject, total: r.result.total, grade: r.result.grade, missing: r.result.missing })), villages: ranked.map((r) => r.result) };
    emit(JSON.stringify(j, null, 2) + '\n', w);
    return 0;
  }
  const { textTable, xlsxTable } = await import('../../table.js');
  const sheets = [rankingSheet(ranked), ...(await Promise.all(ranked.map((r) => itemsSheet(r.result, r.result.subject ?? ''))))];
  if (w.format === 'text') {
    const parts = [`【考核结果汇总】\n${(await textTable([sheets[0]!])).trimEnd()}`];
    for (const r of ranked) {
      parts.push(`【${r.result.subject}】\n${(await textTable([await itemsSheet(r.result, r.result.subject ?? '')])).trimEnd()}\n${conclusion(r.result)}${r.result.notes.map((n) => `\n说明：${n}`).join('')}`);
    }
    emit(parts.join('\n\n') + '\n', w);
    return 0;
  }
  if (w.format === 'xlsx') {
    emit(await xlsxTable(sheets), w, done);
    return 0;
  }
  const render = await import('../../render/render.js');
  const r = await render.renderVillageAssessment(plan, ranked, period, consequences, { format: w.format, templatesDir: options.templates });
  emit(r.output, w, done);
  return 0;
}
