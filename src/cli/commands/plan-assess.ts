// `gongwei plan assess <plan.yaml> --db --period [--by unit|village|subject] [--values]`: the 绩效考核 score — of the
// unit, or one per village or listed department/person with a ranking — as a table, JSON, xlsx or a document.
import fs from 'node:fs';
import type { CommandMain } from '../run.js';
import { GongweiError } from '../../errors.js';
import type { AssessmentResult, AssessSubject, RankedResult } from '../../assessment/score.js';
import type { Period } from '../../indicators/types.js';
import type { Plan } from '../../plan/model.js';
import { checkBinaryToTerminal, checkOutput, toFile, writeOutput, type OutputGuard } from '../output.js';
import { defaultOutput, loadPlanForRender, warnPeriodOutsidePlanYear } from './render-common.js';

type Format = 'text' | 'json' | 'xlsx' | 'docx' | 'html' | 'md';

interface Options {
  db: string;
  period: string;
  by?: 'unit' | 'village' | 'subject';
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
  const scheme = assessmentScheme(loaded.plan, loaded.catalog);
  if (!scheme || !scheme.items.length) {
    throw new GongweiError('ASSESS_NO_SCHEME', `计划中没有“考核”部分或没有考核项目：${file}`, { hint: '考核方案示例见 examples/ 中文档类型为“考核方案”的计划' });
  }
  if (!fs.existsSync(options.db)) {
    throw new GongweiError('DB_NOT_FOUND', `登记表数据库不存在：${options.db}`, { hint: '先用 gongwei registers import 导入登记表' });
  }
  // Whom to score: --by, else the scheme's 考核对象 (各村卫生室 → each village, a list → each department or person).
  const by = options.by ?? (scheme.subject?.kind === 'villages' ? 'village' : scheme.subject?.kind === 'list' ? 'subject' : 'unit');
  const names = scheme.subject?.kind === 'list' ? scheme.subject.names : [];
  if (by === 'subject' && !names.length) {
    throw new GongweiError('ASSESS_NO_SUBJECTS', '考核方案的“考核对象”没有列出科室或人员，不能按考核对象逐一考核', { hint: '在 考核 中写 考核对象: [公卫办, 妇幼科]，或改用 --by unit / --by village', exitCode: 1 });
  }
  const format = formatOf(options);
  const document = format === 'docx' || format === 'html' || format === 'md';
  const suffix = by === 'village' ? '.逐村考核结果' : by === 'subject' ? '.逐一考核结果' : '.考核结果';
  const out = options.output ?? (document ? defaultOutput(file, format, suffix) : undefined);
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
    compute = computeIndicators(db, { period, by: by === 'village' ? 'village' : null, only, targets, catalog: loaded.catalog, sqlTimeoutMs: sqlTimeoutMs(options.sqlTimeout) });
  } finally {
    db.close();
  }
  compute = withCustomResults(compute, manual.custom, manual.values);
  const subjects = await import('../../assessment/subjects.js');
  if (by === 'unit') return writeUnit(subjects.assessUnit(scheme, compute, manual.values), where, options, loaded.plan, period, scheme.subject);
  if (by === 'subject') {
    const ranked = subjects.assessEachListed(scheme, compute, manual.custom, manual.values, names);
    return writeRanked(ranked, where, options, loaded.plan, period, scheme.consequences, { kind: 'list', names });
  }
  const listed = Array.isArray(loaded.plan.基本情况?.行政村) ? loaded.plan.基本情况.行政村.map(String) : [];
  const { ranked, unlisted } = subjects.assessEachVillage(scheme, compute, manual.values, listed);
  if (unlisted.length) process.stderr.write(`注意：登记表中的${unlisted.join('、')}不在计划“基本情况/行政村”中，未参加考核\n`);
  return writeRanked(ranked, where, options, loaded.plan, period, scheme.consequences, { kind: 'villages' });
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

async function writeUnit(result: AssessmentResult, w: Where, options: Options, plan: Plan, period: Period, subject: AssessSubject | undefined): Promise<number> {
  if (w.format === 'json') {
    emit(JSON.stringify(result, null, 2) + '\n', w);
    return 0;
  }
  const { itemsSheet, conclusion } = await import('../../assessment/sheets.js');
  const { textTable, xlsxTable } = await import('../../table.js');
  if (w.format === 'text') {
    let text = `${(await textTable([itemsSheet(result, '考核得分')])).trimEnd()}\n${conclusion(result)}\n`;
    for (const n of result.notes) text += `说明：${n}\n`;
    emit(text, w);
    return 0;
  }
  const done = `总分 ${result.total}，${result.grade}`;
  if (w.format === 'xlsx') {
    emit(await xlsxTable([itemsSheet(result, '考核得分')]), w, done);
    return 0;
  }
  const render = await import('../../render/render.js');
  const r = await render.renderAssessment(plan, result, period, { format: w.format, templatesDir: options.templates, subject });
  emit(r.output, w, done);
  return 0;
}

/** Several results — each village, or each listed department or person — ranked, as a table, JSON, xlsx or a document. */
async function writeRanked(ranked: RankedResult[], w: Where, options: Options, plan: Plan, period: Period, consequences: Record<string, string> | undefined, subject: AssessSubject): Promise<number> {
  const villages = subject.kind === 'villages';
  const done = villages ? `已逐村考核 ${ranked.length} 个村卫生室` : `已逐一考核 ${ranked.length} 个考核对象`;
  const { conclusion, rankedJson, rankedSheets } = await import('../../assessment/sheets.js');
  const { subjectWords } = await import('../../assessment/scheme.js');
  if (w.format === 'json') {
    emit(JSON.stringify(rankedJson(ranked, period.label, subjectWords(subject, '')), null, 2) + '\n', w);
    return 0;
  }
  if (w.format === 'text' || w.format === 'xlsx') {
    const { textTable, xlsxTable } = await import('../../table.js');
    // The ranking, then each result's items in ranked order.
    const [ranking, ...items] = rankedSheets(ranked, villages ? '村卫生室' : '考核对象');
    if (w.format === 'xlsx') {
      emit(await xlsxTable([ranking!, ...items]), w, done);
      return 0;
    }
    const parts = [`【考核结果汇总】\n${(await textTable([ranking!])).trimEnd()}`];
    for (const [k, r] of ranked.entries()) {
      parts.push(`【${r.result.subject}】\n${(await textTable([items[k]!])).trimEnd()}\n${conclusion(r.result)}${r.result.notes.map((n) => `\n说明：${n}`).join('')}`);
    }
    emit(parts.join('\n\n') + '\n', w);
    return 0;
  }
  const render = await import('../../render/render.js');
  const r = await render.renderVillageAssessment(plan, ranked, period, consequences, { format: w.format, templatesDir: options.templates, subject });
  emit(r.output, w, done);
  return 0;
}
