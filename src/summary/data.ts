// Assembles the data of the year-end summary (工作总结) from the plan, the computed indicators and population data,
// grouped by the catalogue's programmes; never invents a number.
import { domainOf, loadDomains, OTHER_DOMAIN } from '../catalog/domains.js';
import { loadIndicatorCatalog, type IndicatorCatalog } from '../catalog/indicators.js';
import { loadRegisterCatalog } from '../catalog/registers.js';
import { formatValue, targetPhrase, type Target } from '../catalog/target.js';
import { chineseDate } from '../calendar.js';
import { formatPeriod } from '../indicators/period.js';
import { reasonWords } from '../indicators/reason-words.js';
import type { ComputeResult, IndicatorResult, Period } from '../indicators/types.js';
import { asList, planTitle, type Plan } from '../plan/model.js';
import { planCustomTargets, planIndicatorTargets } from '../plan/plan-targets.js';
import { planTasks } from '../plan/sections.js';
import { customId } from '../indicators/values/results.js';
import { resultSentence } from './sentences.js';

/** The programme an indicator is reported under: its catalogue domain (catalog/domains.yaml gives the order and title). */
export function programmeOf(id: string, catalog: IndicatorCatalog = loadIndicatorCatalog()): { key: string; name: string } {
  const d = domainOf(catalog.get(id)?.domain);
  return { key: d.key, name: d.title };
}

/** Per-dose immunization entries (coverage.HepB.3 …) are many; the summary shows them only when the plan targets them. */
export function isPerDose(id: string, catalog: IndicatorCatalog = loadIndicatorCatalog()): boolean {
  const d = catalog.get(id);
  return d ? d.dose !== undefined : /^(coverage|timely-coverage)\./.test(id);
}

/** Words and numbers as documents write them. */
export interface Phrases {
  /** "67.2%", "12次"; a missing value is never shown as a number. */
  value(r: IndicatorResult): string;
  /** "不低于65%". */
  target(t: Target): string;
  /** The result sentence of documents.md: "…达到67.2%（目标不低于65%），完成年度目标。" */
  sentence(r: IndicatorResult): string;
}

/** The documents' phrasing: values and targets as the catalogue writes them, result sentences with the entry's gap verb and unit. */
export function documentPhrases(catalog: IndicatorCatalog = loadIndicatorCatalog()): Phrases {
  return {
    value: (r) => formatValue(r.value, r.unit),
    target: (t) => targetPhrase(t),
    sentence: (r) => {
      const def = catalog.get(r.id);
      return resultSentence(r, { gapVerb: r.gapVerb ?? def?.gapVerb, gapUnit: r.gapUnit ?? def?.gapUnit });
    },
  };
}

/** Population figures for the year of E: every number column of the population data, summed over the villages. */
export interface PopulationTotals {
  year: number;
  villages: string[];
  /** Column → sum over the villages that have a value (null when none has). */
  values: Record<string, number | null>;
}

export interface SummaryTask {
  title: string;
  section?: string;
  department?: string;
  deadline?: string;
}

export interface SummaryInput {
  unit: string;
  year: string;
  period: Period;
  /** The plan's own title, quoted in the preamble. */
  planTitle: string;
  /** Free paragraphs from the plan's 基本情况. */
  overview: string[];
  /** Numbers the plan itself states in 基本情况 (人口, 村, 职工 …) as label → value. */
  planFacts: Array<{ label: string; value: string }>;
  /** The villages in the order the plan lists them (tables follow it). */
  villageOrder?: string[];
  targets: Array<{ indicatorId: string; target: Target; text: string }>;
  /** The 基线 and 说明 the plan writes beside a target, by indicator id (自定义 ones by their custom id). */
  targetNotes?: Map<string, { baseline: string; note: string }>;
  /** How many 自定义 targets the plan sets (their results, 人工填报 or 需人工填报, are among the computed ones). */
  customTargets?: number;
  tasks: SummaryTask[];
  nextSteps: string[];
  /** The computation for the whole unit, or null with a reason (no database, no data). */
  total: ComputeResult | null;
  byVillage: ComputeResult | null;
  population: PopulationTotals | null;
  /** Why there are no computed numbers (missing database …). */
  dataProblem?: string;
  date: string;
}

export interface SummaryIndicator {
  id: string;
  name: string;
  numerator: string;
  denominator: string;
  value: string;
  hasValue: boolean;
  target: string;
  status: string;
  met: boolean;
  sentence: string;
  gap: number | null;
  reason: string | null;
  /** The plan's 基线 (60.5%) and 说明 beside the target; '' when it writes none. */
  baseline: string;
  note: string;
}

export interface VillageTable {
  /** The indicators (the renderer splits a table whose numbers would not fit the page width). */
  columns: string[];
  rows: Array<{ village: string; cells: string[] }>;
}

export interface SummaryProgramme {
  key: string;
  name: string;
  indicators: SummaryIndicator[];
  villageTables: VillageTable[];
  /** Say once, at the first village table of rates, that the brackets hold numerator/denominator. */
  explainBrackets: boolean;
  /** Some indicator of the programme has a 基线 / a 说明 in the plan: the table has that column. */
  baselines: boolean;
  notes: boolean;
}

export interface SummaryData {
  title: string;
  /** 全年, or the period in words: "现将全年工作总结如下". */
  scope: string;
  /** The plan sets indicator targets; all of those that could be computed were met. */
  hasTargets: boolean;
  allMet: boolean;
  unit: string;
  year: string;
  periodLabel: string;
  planTitle: string;
  overview: string[];
  facts: Array<{ label: string; value: string }>;
  hasData: boolean;
  dataProblem: string | null;
  programmes: SummaryProgramme[];
  chart: { title: string; unit: string; items: Array<{ label: string; value: number; target: number | null; met: boolean }> } | null;
  problems: string[];
  tasks: SummaryTask[];
  nextSteps: string[];
  date: string;
}

const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : String(n));

/** 2025年, 2025年第二季度, 2025年1—6月; dates in words when the label is not one of those. */
function periodWords(p: Period): string {
  const words = formatPeriod(p.label);
  if (words !== p.label) return words;
  const day = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
  return `${day(p.start)}至${day(p.end)}`;
}

/** Lower is better (控制在5%以下, 低于…): the worst village is the highest. */
const lowerIsBetter = (t: Target | undefined) => t?.kind === 'threshold' && (t.op === '<=' || t.op === '<');

/**
 * Villages that miss a rate's threshold target and do worse than the unit as a whole, worst first (at most two), as
 * "南岭村（62.5%）". None when every village is alike (all 0.0% names no one), and none for counts (a village's count
 * is not comparable with the unit's total).
 */
function laggingVillages(r: IndicatorResult, byVillage: ComputeResult | null, phrases: Phrases): string[] {
  const t = r.target;
  if (t?.kind !== 'threshold' || r.kind !== 'rate' || r.value === null) return [];
  const lower = lowerIsBetter(t);
  const total = r.value;
  return (byVillage?.results ?? [])
    .filter((v) => v.id === r.id && v.group !== null && v.value !== null && (lower ? v.value > t.value && v.value > total : v.value < t.value && v.value < total))
    .sort((a, b) => (lower ? (b.value as number) - (a.value as number) : (a.value as number) - (b.value as number)))
    .slice(0, 2)
    .map((v) => `${v.group}（${phrases.value(v)}）`);
}

/** A data-quality note as a sentence of the document: no spaces around numbers, the count said once, a full stop. */
function noteSentence(n: { message: string; count?: number }): string {
  let m = n.message.trim().replace(/\s*([\u2e80-\u9fff\uff00-\uffef（）：，、])\s*/g, '$1').replace(/(\d)\s+(?=[\u2e80-\u9fff])/g, '$1');
  if (n.count !== undefined && !m.includes(String(n.count))) m += `（${n.count}条）`;
  return /[。！？]$/.test(m) ? m : `${m}。`;
}

/** Indicators that could not be computed, grouped by the reason: "A、B无法计算（缺少…）". */
function noDataGroups(rs: IndicatorResult[]): Array<{ names: string[]; reason: string }> {
  const groups = new Map<string, string[]>();
  for (const r of rs) {
    const why = reasonWords(r.reason);
    groups.set(why, [...(groups.get(why) ?? []), r.name]);
  }
  return [...groups].map(([reason, names]) => ({ names, reason }));
}

/** The indicators the summary reports: every targeted one, and every whole-unit result that is not per dose. */
function selectResults(input: SummaryInput, catalog: IndicatorCatalog): IndicatorResult[] {
  if (!input.total) return [];
  const order = new Map(input.targets.map((t, i) => [t.indicatorId, i]));
  const picked = input.total.results.filter((r) => r.group === null && (order.has(r.id) || r.custom || !isPerDose(r.id, catalog)));
  // The plan's targets in the plan's order first, then the other indicators in catalogue order.
  return picked
    .map((r, i) => ({ r, k: order.get(r.id) ?? (r.custom ? 5e5 + i : 1e6 + i) }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.r);
}

function toIndicator(r: IndicatorResult, phrases: Phrases, notes: SummaryInput['targetNotes']): SummaryIndicator {
  const hasValue = r.value !== null;
  const extra = notes?.get(r.id);
  return {
    id: r.id,
    name: r.name,
    numerator: num(r.numerator),
    denominator: r.kind === 'count' ? '—' : num(r.denominator),
    value: hasValue ? `${phrases.value(r)}${r.manual ? '（人工填报）' : ''}` : r.status === '需人工填报' ? '需人工填报' : '无数据',
    hasValue,
    target: r.target ? phrases.target(r.target) : '—',
    status: r.status ?? (hasValue ? '无目标' : '无数据'),
    met: r.status === '达标',
    sentence: phrases.sentence(r),
    gap: r.gap ?? null,
    reason: r.reason ? reasonWords(r.reason) : null,
    baseline: extra?.baseline ?? '',
    note: extra?.note ?? '',
  };
}

/**
 * The village table of a programme: every indicator that has a value in some village, villages in the plan's order
 * (the others after them by name), a 合计 row last. How many columns go on one printed table is the renderer's choice.
 */
function villageTables(ids: IndicatorResult[], byVillage: ComputeResult | null, phrases: Phrases, order: string[]): VillageTable[] {
  if (!byVillage) return [];
  const rates = ids.filter((r) => byVillage.results.some((v) => v.id === r.id && v.group !== null && v.value !== null));
  if (!rates.length) return [];
  // Villages in the plan's order (基本情况/行政村), the others after them by pinyin.
  const rank = (v: string) => (order.includes(v) ? order.indexOf(v) : order.length);
  const villages = [...new Set(byVillage.results.filter((v) => v.group !== null).map((v) => v.group as string))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'zh', { numeric: true }));
  const cell = (v: IndicatorResult | undefined) => {
    if (!v) return '—';
    if (v.value === null) return '无数据';
    return v.kind === 'count' ? phrases.value(v) : `${phrases.value(v)}（${num(v.numerator)}/${num(v.denominator)}）`;
  };
  const index = new Map(byVillage.results.map((v) => [`${v.id}\u0000${v.group ?? ''}`, v]));
  return [
    {
      columns: rates.map((r) => r.name),
      rows: [
        ...villages.map((village) => ({ village, cells: rates.map((r) => cell(index.get(`${r.id}\u0000${village}`))) })),
        { village: '合计', cells: rates.map((r) => cell(r)) },
      ],
    },
  ];
}

/** Build the summary's data; never invents a number: missing values are carried as words with their reason. */
export function buildSummaryData(input: SummaryInput, phrases: Phrases = documentPhrases(), catalog: IndicatorCatalog = loadIndicatorCatalog()): SummaryData {
  const selected = selectResults(input, catalog);
  const programmes: SummaryProgramme[] = [];
  // The catalogue's programmes in order, then programmes only custom indicators name, then 其他指标.
  const keyOf = (r: IndicatorResult) => programmeOf(r.id, catalog).key;
  const order = [...new Set([...loadDomains().map((d) => d.key), ...selected.map(keyOf).filter((k) => k !== OTHER_DOMAIN.key), OTHER_DOMAIN.key])];
  for (const key of order) {
    const rs = selected.filter((r) => keyOf(r) === key);
    if (!rs.length) continue;
    const indicators = rs.map((r) => toIndicator(r, phrases, input.targetNotes));
    programmes.push({
      key,
      name: programmeOf(rs[0]!.id, catalog).name,
      indicators,
      baselines: indicators.some((i) => i.baseline),
      notes: indicators.some((i) => i.note),
      villageTables: villageTables(rs, input.byVillage, phrases, input.villageOrder ?? []),
      explainBrackets: false,
    });
  }

  const firstRates = programmes.find((p) => p.villageTables.some((t) => t.rows.some((r) => r.cells.some((c) => /（\d+\/\d+）$/.test(c)))));
  if (firstRates) firstRates.explainBrackets = true;

  const facts: Array<{ label: string; value: string }> = [...input.planFacts];
  const pop = input.population;
  if (pop) {
    if (!facts.some((f) => f.label === '行政村')) facts.push({ label: '辖区行政村', value: pop.villages.length ? `${pop.villages.length}个（${pop.villages.join('、')}）` : '无数据' });
    // The population figures the catalogue marks for the summary (summaryLabel), the first with its year.
    const shown = (loadRegisterCatalog().find((r) => r.id === 'population')?.columns ?? []).filter((c) => c.summaryLabel);
    shown.forEach((c, i) => {
      const v = pop.values[c.name] ?? null;
      facts.push({ label: i === 0 ? `${pop.year}年${c.summaryLabel}` : c.summaryLabel!, value: v === null ? '无数据' : `${v}人` });
    });
  }

  // Bars are coloured by the status, not by value ≥ target: for 脱漏率 (lower is better) 12.9% against 5% is not met.
  const chartItems = selected
    .filter((r) => r.value !== null && r.kind === 'rate' && r.unit === '%' && r.target?.kind === 'threshold')
    .map((r) => ({ label: r.name, value: Math.round((r.value as number) * 10) / 10, target: r.target?.kind === 'threshold' ? r.target.value : null, met: r.status === '达标' }));

  // 存在问题: what was not achieved (briefly, with the villages furthest behind), what could not be counted, data quality.
  const problems: string[] = [];
  for (const r of selected.filter((x) => x.status === '未达标' && x.target)) {
    const villages = laggingVillages(r, input.byVillage, phrases);
    problems.push(`${r.name}为${phrases.value(r)}，未完成年度目标（${phrases.target(r.target as Target)}）${villages.length ? `，${villages.join('、')}${lowerIsBetter(r.target) ? '偏高' : '较低'}` : ''}。`);
  }
  const pendingCustom = selected.filter((r) => r.status === '需人工填报');
  if (pendingCustom.length) problems.push(`${pendingCustom.map((r) => r.name).join('、')}为自定义指标，不从登记表计算，本期尚未填报数值，无法评价完成情况。`);
  for (const g of noDataGroups(selected.filter((r) => r.target && r.value === null && !r.custom))) {
    problems.push(`${g.names.join('、')}无法计算${g.reason ? `（${g.reason}）` : ''}，相关登记数据不全。`);
  }
  const missingTargets = input.targets.filter((t) => !selected.some((r) => r.id === t.indicatorId));
  if (input.total) for (const t of missingTargets) problems.push(`计划目标“${catalog.get(t.indicatorId)?.name ?? t.indicatorId}${t.text}”没有计算结果。`);
  for (const n of input.total?.notes ?? []) problems.push(`数据质量：${noteSentence(n)}`);
  if (!input.total) problems.push('登记表数据尚未导入，无法对照计划目标评价完成情况。');
  else if (!input.targets.length && !input.customTargets) problems.push('计划未设定量化指标目标，各项指标只能如实列出，无法对照目标评价完成情况。');

  // Counts of 0 with no rate anywhere mean the registers hold nothing for the period.
  const hasData = selected.some((r) => r.value !== null && (r.kind === 'rate' || r.value > 0));
  const nextSteps = input.nextSteps.length ? input.nextSteps : derivedNextSteps(selected, input.byVillage, phrases, catalog);

  return {
    // The title names the period the numbers are for (a quarter's summary is not the year's).
    title: `${input.unit}${periodWords(input.period)}工作总结`,
    scope: /^\d{4}$/.test(input.period.label) ? '全年' : periodWords(input.period),
    hasTargets: input.targets.length > 0 || Boolean(input.customTargets),
    allMet: selected.some((r) => r.target) && selected.every((r) => !r.target || r.status === '达标'),
    unit: input.unit,
    year: input.year,
    periodLabel: periodWords(input.period),
    planTitle: input.planTitle,
    overview: input.overview,
    facts,
    hasData,
    dataProblem: !input.total ? NO_DATABASE : !hasData ? `${periodWords(input.period)}没有可用的登记数据，各项指标均无法计算。` : null,
    programmes,
    chart: chartItems.length ? { title: `${periodWords(input.period)}主要指标完成情况（%）`, unit: '%', items: chartItems } : null,
    problems,
    tasks: input.tasks,
    nextSteps,
    date: input.date,
  };
}

/** The document's words for a missing database (the command line says where it looked and what to run). */
const NO_DATABASE = '未找到登记表数据库，本总结中的各项指标暂无数据。';

/** 下一步打算 drawn from the unmet targets: where to work (the villages furthest behind) and how much is missing. */
function derivedNextSteps(selected: IndicatorResult[], byVillage: ComputeResult | null, phrases: Phrases, catalog: IndicatorCatalog): string[] {
  const out: string[] = [];
  for (const r of selected.filter((x) => x.status === '未达标' && x.target)) {
    const t = r.target as Target;
    const villages = laggingVillages(r, byVillage, phrases).map((v) => v.replace(/（.*$/, ''));
    const where = villages.length ? `重点抓好${villages.join('、')}，` : '';
    if (r.kind === 'count') {
      const short = t.kind === 'threshold' && r.value !== null ? Math.max(0, t.value - r.value) : 0;
      out.push(`${r.name}：${where}按月安排、按季督查${short ? `，比目标还少${short}${r.unit}` : ''}，确保完成年度目标（${phrases.target(t)}）。`);
    } else {
      const def = catalog.get(r.id);
      const gap = r.gap ? `，还需${r.gapVerb ?? def?.gapVerb ?? (lowerIsBetter(t) ? '减少' : '完成')}${r.gap}${r.gapUnit ?? def?.gapUnit ?? '人'}` : '';
      out.push(`${r.name}：${where}逐一核实名单、按月调度${gap}，确保完成年度目标（${phrases.target(t)}）。`);
    }
  }
  const noData = noDataGroups(selected.filter((x) => x.target && x.value === null && !x.custom));
  if (noData.length) out.push(`补齐${noData.flatMap((g) => g.names).join('、')}所需的登记数据和人口基础数据，按月导入、按月统计。`);
  const pending = selected.filter((x) => x.status === '需人工填报');
  if (pending.length) out.push(`按期收集并填报${pending.map((x) => x.name).join('、')}的数值，注明数据来源。`);
  return out;
}

/** What the summary is computed from (see compute.ts). */
export interface SummaryCompute {
  total: ComputeResult | null;
  byVillage: ComputeResult | null;
  population: PopulationTotals | null;
  period: Period;
  dataProblem?: string;
}

const UNITS: Record<string, string> = { 辖区人口: '人', 职工人数: '人', 村卫生室: '个', 床位: '张', 行政村: '个' };

/** The summary's data from the plan, the computed results and the plan's targets. */
export function summaryData(
  plan: Plan,
  compute: SummaryCompute,
  targets: Array<{ indicatorId: string; target: Target; text: string }>,
  catalog: IndicatorCatalog = loadIndicatorCatalog(),
): SummaryData {
  const custom = planCustomTargets(plan);
  const facts: Array<{ label: string; value: string }> = [];
  const overview: string[] = [];
  const basics = plan.基本情况;
  for (const [k, v] of Object.entries(basics ?? {})) {
    if (k === '说明') overview.push(...asList(v as string | string[]).map((x) => String(x).trim()));
    else if (Array.isArray(v)) facts.push({ label: k, value: `${v.length}${UNITS[k] ?? ''}（${v.join('、')}）` });
    else if (v !== null && v !== undefined) facts.push({ label: k === '辖区人口' ? '辖区人口（计划所载）' : k, value: `${v}${typeof v === 'number' ? UNITS[k] ?? '' : ''}` });
  }
  const tasks = planTasks(plan).flatMap(({ task, section }) => {
    if (typeof task === 'string' || !(task.完成时限 || task.责任科室)) return [];
    const text = asList(task.内容).join('；').replace(/[。；;，,]+$/, '');
    const department = asList(task.责任科室).join('、') || undefined;
    return [{ title: task.标题?.trim() || text, section, department, deadline: task.完成时限 ? chineseDate(task.完成时限.trim()) : undefined }];
  });
  return buildSummaryData(
    {
      unit: plan.单位,
      year: String(plan.年度),
      period: compute.period,
      planTitle: planTitle(plan),
      overview,
      planFacts: facts,
      villageOrder: Array.isArray(basics?.行政村) ? basics.行政村.map(String) : [],
      targets,
      targetNotes: new Map([
        ...planIndicatorTargets(plan, catalog).map((t) => [t.indicatorId, { baseline: t.baseline, note: t.note }] as const),
        ...custom.map((t) => [customId(t.name), { baseline: t.baseline, note: t.note }] as const),
      ]),
      customTargets: custom.length,
      tasks,
      nextSteps: [],
      total: compute.total,
      byVillage: compute.byVillage,
      population: compute.population,
      dataProblem: compute.dataProblem,
      date: chineseDate(compute.period.end),
    },
    documentPhrases(catalog),
    catalog,
  );
}
