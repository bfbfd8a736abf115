// Plan, summary and assessment documents: view data → Handlebars (Markdown) → the engine's DOCX/HTML/MD writers.
import { GRADE_PENDING, itemTargetText, itemValueText, type AssessmentResult, type AssessSubject, type RankedResult } from '../assessment/score.js';
import { gradeText, subjectWords } from '../assessment/scheme.js';
import { chineseDate } from '../calendar.js';
import { GongweiError } from '../errors.js';
import { formatPeriod } from '../indicators/period.js';
import type { Period } from '../indicators/types.js';
import { consequencesForAll, type Plan } from '../plan/model.js';
import type { SummaryData } from '../summary/data.js';
import * as chineseHelpers from './helpers.js';
import { planView } from './plan-view.js';
import { fitVillageTables } from './summary-view.js';
import { createTemplateEngine, type HelperFn, type TemplateEngine } from './templates.js';

export type OutputFormat = 'docx' | 'html' | 'md';

export interface RenderOptions {
  format: OutputFormat;
  templatesDir?: string;
}

export interface Rendered {
  /** What the templates produced (Markdown in the engine's conventions). */
  markdown: string;
  /** The document in the requested format. */
  output: Buffer;
}

/** Template for each 文档类型. */
export const TEMPLATE_BY_KIND: Record<string, string> = {
  年度工作计划: 'annual-plan',
  实施方案: 'implementation-plan',
  考核方案: 'assessment-scheme',
};

/** Helpers the templates may call: pure functions, nothing that reaches process or globals. */
export function templateHelpers(cn: Record<string, unknown> = chineseHelpers): Record<string, HelperFn> {
  const h: Record<string, HelperFn> = {
    inc: (n: unknown) => Number(n) + 1,
    eq: (a: unknown, b: unknown) => a === b,
    json: (v: unknown) => JSON.stringify(v ?? null),
  };
  for (const [name, fn] of Object.entries(cn)) {
    if (typeof fn === 'function' && !(name in h)) {
      // Handlebars passes its options object last; the Chinese helpers take plain arguments only.
      h[name] = (...args: unknown[]) => (fn as (...a: unknown[]) => unknown)(...args.slice(0, -1));
    }
  }
  return h;
}

let cached: { key: string; engine: TemplateEngine } | undefined;
/** One compiled environment per templates directory (compiling is the slow part of a batch). */
export async function templateEngine(templatesDir?: string): Promise<TemplateEngine> {
  const key = templatesDir ?? '';
  if (!cached || cached.key !== key) cached = { key, engine: createTemplateEngine({ templatesDir, helpers: templateHelpers() }) };
  return cached.engine;
}

/** The writer of a format: Markdown → that format (each writer is loaded only when asked for). */
export async function loadWriter(format: OutputFormat): Promise<(markdown: string) => Promise<Buffer>> {
  const { markdownToDocument } = await import('./from-markdown.js');
  if (format === 'md') {
    const { toMarkdown } = await import('./to-markdown.js');
    return async (markdown) => Buffer.from(toMarkdown(markdownToDocument(markdown)), 'utf8');
  }
  if (format === 'html') {
    const { toHtml } = await import('./html.js');
    return async (markdown) => Buffer.from(toHtml(markdownToDocument(markdown)), 'utf8');
  }
  const { toDocx } = await import('./docx.js');
  return async (markdown) => Buffer.from(await toDocx(markdownToDocument(markdown)));
}

/** Markdown → the requested format. */
export async function convertMarkdown(markdown: string, format: OutputFormat): Promise<Buffer> {
  return (await loadWriter(format))(markdown);
}

/** The plan's Markdown from its kind's template. */
export async function planMarkdown(plan: Plan, templatesDir?: string): Promise<string> {
  const view = planView(plan);
  const name = TEMPLATE_BY_KIND[view.kind];
  if (!name) throw new GongweiError('RENDER_UNKNOWN_KIND', `不支持的文档类型：${view.kind}`, { hint: `可选：${Object.keys(TEMPLATE_BY_KIND).join('、')}` });
  return (await templateEngine(templatesDir)).render(name, view);
}

/** Render a plan (年度工作计划 / 实施方案 / 考核方案) to the requested format. */
export async function renderPlan(plan: Plan, opts: RenderOptions): Promise<Rendered> {
  const markdown = await planMarkdown(plan, opts.templatesDir);
  return { markdown, output: await convertMarkdown(markdown, opts.format) };
}

/** The summary's Markdown (village tables split to fit the page). */
export async function summaryMarkdown(data: SummaryData, templatesDir?: string): Promise<string> {
  return (await templateEngine(templatesDir)).render('summary', fitVillageTables(data));
}

/** Render the year-end summary (工作总结) from its data (summary/data.ts). */
export async function renderSummary(data: SummaryData, opts: RenderOptions): Promise<Rendered> {
  const markdown = await summaryMarkdown(data, opts.templatesDir);
  return { markdown, output: await convertMarkdown(markdown, opts.format) };
}

/** Render an assessment result as a document. */
export async function renderAssessment(plan: Plan, result: AssessmentResult, period: Period, opts: RenderOptions & { subject?: AssessSubject }): Promise<Rendered> {
  const markdown = await assessmentMarkdown(plan, result, period, opts.templatesDir, opts.subject);
  return { markdown, output: await convertMarkdown(markdown, opts.format) };
}

/** A period in words: 2025年, 2025年第二季度, 2025年1—6月. */
function periodText(period: Period): string {
  const f = formatPeriod(period.label);
  return f !== period.label ? f : /^\d{4}$/.test(period.label) ? `${period.label}年` : period.label;
}

/** An item as the assessment tables show it: value and target in the documents' words. */
const itemRow = (i: AssessmentResult['items'][number]) => ({ ...i, valueText: itemValueText(i), targetText: itemTargetText(i) });

/** The assessment result's Markdown. */
export async function assessmentMarkdown(plan: Plan, result: AssessmentResult, period: Period, templatesDir?: string, subject?: AssessSubject): Promise<string> {
  const view = planView(plan);
  const pending = result.grade === GRADE_PENDING;
  const data = {
    title: `${view.unit}${/^\d{4}$/.test(period.label) ? `${period.label}年度` : periodText(period)}绩效考核结果`,
    planTitle: view.title,
    unit: view.unit,
    // Whom the scheme assesses (考核对象): the unit, 各村卫生室 (their total here), or departments/people.
    subject: subjectWords(subject, view.unit),
    periodLabel: periodText(period),
    // Items scored by hand have no computed value ("—", not 无数据); parsed targets read as in the summary (达到100%, 不低于90%).
    items: result.items.map(itemRow),
    weightSum: result.weightSum,
    rawScore: result.rawScore,
    total: result.total,
    grade: result.grade,
    graded: !pending,
    gradeRule: gradeText(result.grades),
    notes: result.notes,
    consequence: result.consequence ? `按考核方案，考核等级为“${result.grade}”的：${result.consequence.replace(/[。；;]+$/, '')}。` : null,
    // 结果运用 written as text applies to every grade.
    consequencesForAll: consequencesForAll(plan.考核),
    date: chineseDate(period.end),
  };
  return (await templateEngine(templatesDir)).render('assessment', data);
}

/** One score per village (or listed department/person): a ranking table, then a section for each with its items (assessment-villages.hbs). */
export async function villageAssessmentMarkdown(plan: Plan, ranked: RankedResult[], period: Period, consequences: Record<string, string> = {}, templatesDir?: string, subject: AssessSubject = { kind: 'villages' }): Promise<string> {
  const view = planView(plan);
  // Each village clinic, or each department or person 考核对象 lists (their indicators are the unit's: the registers do not split them).
  const villages = subject.kind !== 'list';
  const results = ranked.map((r) => r.result);
  const pending = ranked.filter((r) => r.rank === null).map((r) => r.result.subject ?? '');
  const byGrade = new Map<string, string[]>();
  for (const r of results) if (r.grade !== GRADE_PENDING) byGrade.set(r.grade, [...(byGrade.get(r.grade) ?? []), r.subject ?? '']);
  const data = {
    title: `${view.unit}${/^\d{4}$/.test(period.label) ? `${period.label}年度` : periodText(period)}${villages ? '村卫生室' : ''}绩效考核结果`,
    planTitle: view.title,
    unit: view.unit,
    periodLabel: periodText(period),
    byVillage: villages,
    subjectHeader: villages ? '村卫生室' : '考核对象',
    subject: subjectWords(subject, view.unit),
    hasManual: results.some((r) => r.items.some((i) => i.source)),
    ranking: ranked.map((r) => ({ rankText: r.rank === null ? '—' : String(r.rank), village: r.result.subject ?? '', total: r.result.total, grade: r.result.grade })),
    gradeRule: gradeText(results[0]?.grades ?? []),
    pendingNote: pending.length ? `${pending.join('、')}尚有项目未评分或未填报数值，暂不评定等级，不参加排名；表中为已评项目的得分。` : null,
    villages: results.map((r) => ({
      village: r.subject ?? '',
      items: r.items.map(itemRow),
      weightSum: r.weightSum,
      rawScore: r.rawScore,
      total: r.total,
      grade: r.grade,
      graded: r.grade !== GRADE_PENDING,
      notes: r.notes,
    })),
    consequences: [...byGrade].flatMap(([grade, villages]) =>
      consequences[grade] ? [`考核等级为“${grade}”的（${villages.join('、')}）：${consequences[grade]!.replace(/[。；;]+$/, '')}。`] : [],
    ),
    date: chineseDate(period.end),
  };
  return (await templateEngine(templatesDir)).render('assessment-villages', data);
}

/** Render the village assessment as a document. */
export async function renderVillageAssessment(plan: Plan, ranked: RankedResult[], period: Period, consequences: Record<string, string> | undefined, opts: RenderOptions & { subject?: AssessSubject }): Promise<Rendered> {
  const markdown = await villageAssessmentMarkdown(plan, ranked, period, consequences, opts.templatesDir, opts.subject);
  return { markdown, output: await convertMarkdown(markdown, opts.format) };
}
