// Plan, summary and assessment documents: view data → Handlebars (Markdown) → the engine's DOCX/HTML/MD writers.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { ComputeResult, IndicatorResult, Period } from '../indicators/types.js';
import type { Target } from '../catalog/target.js';
import { createTemplateEngine, type HelperFn, type TemplateEngine } from './templates.js';
import { assessmentScheme, flattenTasks, gradeText, planView } from './plan-view.js';
export { assessmentScheme, gradeText, parseRule, planView } from './plan-view.js';
import { buildSummaryData, type Phrases, type PopulationTotals, type SummaryData } from './summary.js';
import { assess, type AssessScheme, type AssessmentResult } from './assess.js';
import { GongweiError } from '../errors.js';

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

import { arr, get, str } from './plan-view.js';

type Fns = Record<string, unknown>;
let cnHelpers: Fns | undefined;
/** The render engine's Chinese helpers (numerals, dates, target phrases, result sentences). */
async function chineseHelpers(): Promise<Fns> {
  if (cnHelpers) return cnHelpers;
  try {
    cnHelpers = (await import('./helpers.js')) as Fns;
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    cnHelpers = {};
  }
  return cnHelpers;
}

function isModuleMissing(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND';
}

/** Helpers the templates may call: pure functions, nothing that reaches process or globals. */
export function templateHelpers(cn: Fns = cnHelpers ?? {}): Record<string, HelperFn> {
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
  await chineseHelpers();
  const key = templatesDir ?? '';
  if (!cached || cached.key !== key) cached = { key, engine: createTemplateEngine({ templatesDir, helpers: templateHelpers() }) };
  return cached.engine;
}

/** Markdown → the requested format through the render engine. */
export async function convertMarkdown(markdown: string, format: OutputFormat): Promise<Buffer> {
  try {
    return await writeFormat(markdown, format);
  } catch (e) {
    if (!isModuleMissing(e)) throw e;
    throw new GongweiError('RENDER_ENGINE_MISSING', `文档排版模块缺失，无法输出 ${format} 格式`, { cause: e, hint: '请重新安装或编译 gongwei（npm run build）' });
  }
}

async function writeFormat(markdown: string, format: OutputFormat): Promise<Buffer> {
  const { markdownToDocument } = await import('./markdown.js');
  const doc = markdownToDocument(markdown);
  if (format === 'md') {
    const { toMarkdown } = await import('./md.js');
    return Buffer.from(toMarkdown(doc), 'utf8');
  }
  if (format === 'html') {
    const { toHtml } = await import('./html.js');
    return Buffer.from(toHtml(doc), 'utf8');
  }
  const { toDocx } = await import('./docx.js');
  return Buffer.from(await toDocx(doc));
}

/** The plan's Markdown from its kind's template. */
export async function planMarkdown(plan: any, templatesDir?: string): Promise<string> {
  const view = planView(plan);
  const name = TEMPLATE_BY_KIND[view.kind];
  if (!name) throw new GongweiError('RENDER_UNKNOWN_KIND', `不支持的文档类型：${view.kind}`, { hint: `可选：${Object.keys(TEMPLATE_BY_KIND).join('、')}` });
  return (await templateEngine(templatesDir)).render(name, view);
}

/** Render a plan (年度工作计划 / 实施方案 / 考核方案) to the requested format. */
export async function renderPlan(plan: any, opts: RenderOptions): Promise<Rendered> {
  const markdown = await planMarkdown(plan, opts.templatesDir);
  return { markdown, output: await convertMarkdown(markdown, opts.format) };
}

/** The summary's data and Markdown. */
export async function summaryMarkdown(plan: any, compute: SummaryCompute, targets: Array<{ indicatorId: string; target: Target; text: string }>, templatesDir?: string): Promise<{ data: SummaryData; markdown: string }> {
  const engine = await templateEngine(templatesDir);
  const data = summaryData(plan, compute, targets);
  return { data, markdown: engine.render('summary', data) };
}

/** The Chinese phrasing used by the summary (value, target, result sentence) from the render helpers. */
export function summaryPhrases(h: any = cnHelpers ?? {}): Phrases {
  const value = (r: IndicatorResult) => {
    if (r.value === null) return '无数据';
    if (r.kind === 'count') return `${r.value}${r.unit}`;
    return `${(Math.round(r.value * 10) / 10).toFixed(1)}${r.unit}`;
  };
  const target = (t: Target) => t.text;
  return {
    value: typeof h.formatValue === 'function' ? (r) => h.formatValue(r.value, r.unit) : value,
    target: typeof h.targetPhrase === 'function' ? (t) => h.targetPhrase(t) : target,
    sentence: typeof h.resultSentence === 'function' ? (r) => h.resultSentence(r) : (r) => plainSentence(r, value, target),
  };
}

/** The result sentence in plain words, used when the engine's helpers do not provide one. */
function plainSentence(r: IndicatorResult, value: (r: IndicatorResult) => string, target: (t: Target) => string): string {
  if (r.value === null) return `${r.name}无数据${r.reason ? `（${r.reason}）` : ''}。`;
  const v = value(r);
  if (!r.target) return `${r.name}为${v}。`;
  const t = target(r.target);
  if (r.status === '达标') return `${r.name}达到${v}（目标${t}），完成年度目标。`;
  let gap = '';
  if (r.target.kind === 'threshold' && (r.unit === '%' || r.unit === '‰')) {
    const d = Math.abs(Math.round((r.value - r.target.value) * 10) / 10);
    const word = r.target.op === '<=' || r.target.op === '<' ? '高于' : '低于';
    gap = `，${word}目标${d}个${r.unit === "‰" ? "千分点" : "百分点"}`;
  }
  const people = r.gap ? `，还差${r.gap}人` : '';
  return `${r.name}为${v}（目标${t}）${gap}${people}，未完成年度目标。`;
}

export interface SummaryCompute {
  total: ComputeResult | null;
  byVillage: ComputeResult | null;
  population: PopulationTotals | null;
  period: Period;
  dataProblem?: string;
}

/** The summary's data from the plan and the computed results. */
export function summaryData(plan: any, compute: SummaryCompute, targets: Array<{ indicatorId: string; target: Target; text: string }>): SummaryData {
  const view = planView(plan);
  const facts: Array<{ label: string; value: string }> = [];
  const basics = get(plan, '基本情况');
  const overview: string[] = [];
  const UNITS: Record<string, string> = { 辖区人口: '人', 职工人数: '人', 村卫生室: '个', 床位: '张', 行政村: '个' };
  if (typeof basics === 'string' || Array.isArray(basics)) overview.push(...arr(basics).map(str));
  else if (basics && typeof basics === 'object') {
    for (const [k, v] of Object.entries(basics as Record<string, unknown>)) {
      if (k === '说明') overview.push(...arr(v).map(str));
      else if (Array.isArray(v)) facts.push({ label: k, value: `${v.length}${UNITS[k] ?? ''}（${v.map(str).join('、')}）` });
      else if (v !== null && typeof v !== 'object') facts.push({ label: k === '辖区人口' ? '辖区人口（计划所载）' : k, value: `${str(v)}${typeof v === 'number' ? UNITS[k] ?? '' : ''}` });
    }
  }
  const next = get(plan, '下一步打算');
  return buildSummaryData(
    {
      unit: view.unit,
      year: view.year,
      period: compute.period,
      planTitle: view.title,
      overview,
      planFacts: facts,
      villageOrder: basics && typeof basics === 'object' && !Array.isArray(basics) ? arr((basics as Record<string, unknown>)['行政村']).map(str) : [],
      targets,
      tasks: flattenTasks(view.sections, plan),
      nextSteps: arr(next).map(str).filter(Boolean),
      total: compute.total,
      byVillage: compute.byVillage,
      population: compute.population,
      dataProblem: compute.dataProblem,
      date: `${compute.period.end.slice(0, 4)}年${Number(compute.period.end.slice(5, 7))}月${Number(compute.period.end.slice(8, 10))}日`,
    },
    summaryPhrases(),
  );
}

/** Render the year-end summary (工作总结). */
export async function renderSummary(plan: any, compute: SummaryCompute, targets: Array<{ indicatorId: string; target: Target; text: string }>, opts: RenderOptions): Promise<Rendered & { data: SummaryData }> {
  const { data, markdown } = await summaryMarkdown(plan, compute, targets, opts.templatesDir);
  return { data, markdown, output: await convertMarkdown(markdown, opts.format) };
}

/** Score the plan's 考核 section against computed results. */
export function assessPlan(scheme: AssessScheme, compute: ComputeResult): AssessmentResult {
  return assess(scheme, compute.results, compute.period.label);
}

/** Render an assessment result as a document. */
export async function renderAssessment(plan: any, result: AssessmentResult, period: Period, opts: RenderOptions): Promise<Rendered> {
  const markdown = await assessmentMarkdown(plan, result, period, opts.templatesDir);
  return { markdown, output: await convertMarkdown(markdown, opts.format) };
}

/** A period in words: 2025年, 2025年第二季度, 2025年1—6月. */
function periodText(period: Period): string {
  const f = (cnHelpers?.formatPeriod as ((l: string) => string) | undefined)?.(period.label);
  return f && f !== period.label ? f : /^\d{4}$/.test(period.label) ? `${period.label}年` : period.label;
}

/** The assessment result's Markdown. */
export async function assessmentMarkdown(plan: any, result: AssessmentResult, period: Period, templatesDir?: string): Promise<string> {
  const view = planView(plan);
  const phrases = summaryPhrases((await chineseHelpers()) as never);
  const fmt = (n: number | null, unit?: string) => (n === null ? '无数据' : `${unit === '%' || unit === '‰' || unit === '/10万' ? n.toFixed(1) : Math.round(n * 10) / 10}${unit ?? ''}`);
  const data = {
    title: `${view.unit}${/^\d{4}$/.test(period.label) ? `${period.label}年度` : periodText(period)}绩效考核结果`,
    planTitle: view.title,
    unit: view.unit,
    periodLabel: periodText(period),
    // Items scored by hand have no computed value ("—", not 无数据); parsed targets read as in the summary (达到100%, 不低于90%).
    items: result.items.map((i) => ({
      ...i,
      valueText: i.state === '人工评分' || i.state === '待评分' ? '—' : fmt(i.value, i.unit),
      targetText: i.target && !(i.target.kind === 'threshold' && !Number.isFinite(i.target.value)) ? phrases.target(i.target) : i.targetText ?? '—',
    })),
    weightSum: result.weightSum,
    rawScore: result.rawScore,
    total: result.total,
    grade: result.grade,
    gradeRule: gradeText(result.grades),
    notes: result.notes,
    consequence: result.consequence ? `按考核方案，考核等级为“${result.grade}”的：${result.consequence.replace(/[。；;]+$/, '')}。` : null,
    date: `${period.end.slice(0, 4)}年${Number(period.end.slice(5, 7))}月${Number(period.end.slice(8, 10))}日`,
  };
  return (await templateEngine(templatesDir)).render('assessment', data);
}
