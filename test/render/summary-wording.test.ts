// The summary and assessment read as an office would file them: found by reading the rendered example documents.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { loadPlanFile } from '../../src/plan/load.js';
import { planIndicatorTargets } from '../../src/plan/plan-targets.js';
import { assess } from '../../src/assessment/score.js';
import { cellWidth } from '../../src/render/document.js';
import { columnWidths } from '../../src/render/docx.js';
import { reasonWords } from '../../src/render/helpers.js';
import { markdownToDocument } from '../../src/render/from-markdown.js';
import { toHtml } from '../../src/render/html.js';
import { toMarkdown } from '../../src/render/to-markdown.js';
import { assessmentScheme as planAssessmentScheme } from '../../src/assessment/scheme.js';
import { fitVillageTables } from '../../src/render/summary-view.js';
import { assessmentMarkdown, summaryMarkdown as renderSummaryMarkdown } from '../../src/render/render.js';
import { computeForSummary } from '../../src/summary/compute.js';
import { buildSummaryData, summaryData, type Phrases, type SummaryInput } from '../../src/summary/data.js';
import type { ComputeResult, IndicatorResult } from '../../src/indicators/types.js';

/** The summary's data and its Markdown, as plan render --summary makes them. */
async function summaryMarkdown(plan: Parameters<typeof summaryData>[0], compute: Parameters<typeof summaryData>[1], targets: Parameters<typeof summaryData>[2]) {
  const data = summaryData(plan, compute, targets);
  return { data, markdown: await renderSummaryMarkdown(data) };
}

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-wording-'));
const db = path.join(tmp, 'examples.sqlite');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The bundled example registers, imported as the README's main job does. */
beforeAll(() => {
  const dir = path.join(root, 'examples', 'registers');
  const files = fs.readdirSync(dir).filter((f) => /\.(xlsx|csv)$/i.test(f)).map((f) => path.join(dir, f));
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'gongwei.js'), 'registers', 'import', ...files, '--db', db], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}, 60_000);

const annual = () => loadPlanFile(path.join(root, 'examples', 'qingshi-2025-annual-plan.yaml')).plan!;
async function summary(period: string, plan = annual()) {
  const targets = planIndicatorTargets(plan as never, loadIndicatorCatalog()).map((t) => ({ indicatorId: t.indicatorId, target: t.target, text: t.text }));
  return summaryMarkdown(plan, await computeForSummary(db, period, targets), targets);
}
const section = (md: string, heading: string) => md.slice(md.indexOf(heading), md.indexOf('\n## ', md.indexOf(heading) + 1));
const plain = (md: string) => md.replace(/\\(.)/g, '$1');

describe('summary of the example year', () => {
  it('lower-is-better targets: the worst villages are the highest, bars and words say 未达标, the next step says what to do', async () => {
    const { markdown, data } = await summary('2025');
    const md = plain(markdown);
    const dtap = data.chart!.items.find((i) => i.label === '百白破疫苗脱漏率')!;
    expect(dtap.value).toBeGreaterThan(dtap.target!);
    expect(dtap.met).toBe(false);
    const problem = section(md, '## 存在问题').split('\n').find((l) => l.includes('百白破疫苗脱漏率'))!;
    // 北塘村 40.0% and 南岭村 16.7% are the highest; 青石村 and 西坪村 at 0.0% are the best and must not be named.
    expect(problem).toMatch(/北塘村（40\.0%）、南岭村（16\.7%）偏高/);
    expect(problem).not.toContain('青石村');
    const step = section(md, '## 下一步打算').split('\n').find((l) => l.startsWith('百白破疫苗脱漏率'))!;
    expect(step).toContain('重点抓好北塘村、南岭村');
    expect(step).toContain('还需补种');
    expect(step).not.toContain('还差');
    // The DOCX/Markdown chart says the result in words (black-and-white print loses the colours).
    expect(toMarkdown(markdownToDocument(markdown))).toMatch(/\| 百白破疫苗脱漏率 \| 12\.9% \| 5% \| 未达标 \|/);
  });

  it('only villages that miss the target and do worse than the whole unit are named', async () => {
    const { markdown } = await summary('2025');
    const problems = plain(section(markdown, '## 存在问题'));
    for (const m of problems.matchAll(/为(\d+\.\d)%，未完成年度目标（不低于(\d+)%）(?:，(.*)较低)?。/g)) {
      const total = Number(m[1]);
      for (const v of (m[3] ?? '').matchAll(/（(\d+\.\d)%）/g)) {
        expect(Number(v[1])).toBeLessThan(Number(m[2]));
        expect(Number(v[1])).toBeLessThan(total);
      }
    }
  });

  it('no duplicated counts, no spaces inside Chinese, no English, no undefined/NaN, no empty or nested brackets', async () => {
    const { markdown } = await summary('2025');
    const md = plain(markdown);
    expect(md).not.toMatch(/（\d+条）（\d+条）|2条（2条）/);
    expect(md).toContain('数据质量：2条接种记录的疫苗不在免疫程序（2021）中，未计入任何指标：水痘减毒活疫苗2条。');
    const text = md.replace(/```chart[\s\S]*?```/g, '').replace(/^::: ?[a-z]*$/gm, '');
    expect(text).not.toMatch(/undefined|NaN|null|（）|\(\)/);
    expect(text).not.toMatch(/[a-z]{3,}/i);
    expect(text).not.toMatch(/[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]/);
  });

  it('village tables follow the plan’s order of villages and say once what the brackets mean', async () => {
    const { markdown } = await summary('2025');
    const md = plain(markdown);
    const rows = md.split('\n').filter((l) => /^\| (青石村|东溪村|南岭村|西坪村|北塘村) \|/.test(l)).slice(0, 5).map((l) => l.split('|')[1]!.trim());
    expect(rows).toEqual(['青石村', '东溪村', '南岭村', '西坪村', '北塘村']);
    expect(md.match(/括号内为分子\/分母/g)).toHaveLength(1);
  });

  it('the chart opens 工作开展情况 and the plan’s tasks close it; 存在问题 does not repeat the result sentences', async () => {
    const { markdown } = await summary('2025');
    const work = section(markdown, '## 工作开展情况');
    expect(work.indexOf('```chart')).toBeLessThan(work.indexOf('### 居民健康档案管理'));
    expect(work).toContain('### 计划重点任务');
    const problems = plain(section(markdown, '## 存在问题'));
    expect(problems).not.toContain('个百分点');
  });
});

describe('summary: other periods and empty cases', () => {
  it('a quarter: the title and the preamble name the quarter, no ISO dates', async () => {
    const { markdown } = await summary('2025Q2');
    expect(markdown).toMatch(/^# 青石镇卫生院2025年第二季度工作总结/);
    expect(markdown).toContain('现将2025年第二季度工作总结如下。');
    expect(markdown).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('a period with no population data: reasons in words (no database columns), one sentence per reason, no false claims', async () => {
    const { markdown } = await summary('2019');
    const md = plain(markdown);
    expect(md).not.toMatch(/resident_population|children_0_6|elderly_65|[a-z]+_[a-z]+/);
    expect(md).not.toMatch(/（[^（）]*（/);
    expect(md).not.toMatch(/无法计算[^。]*无法计算/);
    expect(md).not.toContain('均已完成');
  });

  it('a plan without targets never says the targets were all met', async () => {
    const plan = { 文档类型: '年度工作计划' as const, 单位: '测试镇卫生院', 年度: 2025, 发文日期: '2025-01-10', 重点工作: [{ 标题: '医疗质量', 内容: '严格执行核心制度。' }] };
    const { markdown } = await summary('2025', plan);
    expect(markdown).not.toContain('均已完成');
    expect(markdown).toContain('计划未设定量化指标目标');
  });
});

describe('summary data without a database of examples', () => {
  const period = { label: '2025', start: '2025-01-01', end: '2025-12-31' };
  const phrases: Phrases = { value: (r) => `${r.value}${r.unit}`, target: (t) => t.text, sentence: (r) => r.name };
  const res = (id: string, group: string | null, value: number, extra: Partial<IndicatorResult> = {}): IndicatorResult =>
    ({ id, name: id, unit: '次', kind: 'count', factor: 1, period, group, numerator: value, denominator: null, value, ...extra });
  it('counts: the gap is in the indicator’s unit, not people, and no village is singled out', () => {
    const target = { kind: 'threshold', op: '>=', value: 12, unit: '次', text: '不少于12次' } as const;
    const total: ComputeResult = { period, by: null, schedule: '2021', notes: [], results: [res('health-education-lectures', null, 8, { target, status: '未达标' })] };
    const by: ComputeResult = { period, by: 'village', schedule: '2021', notes: [], results: [res('health-education-lectures', '东溪村', 1), res('health-education-lectures', '青石村', 7)] };
    const input: SummaryInput = {
      unit: '青石镇卫生院', year: '2025', period, planTitle: '计划', overview: [], planFacts: [], tasks: [], nextSteps: [], total, byVillage: by, population: null, date: '2025年12月31日',
      targets: [{ indicatorId: 'health-education-lectures', target, text: '不少于12次' }],
    };
    const d = buildSummaryData(input, phrases);
    expect(d.nextSteps[0]).toContain('比目标还少4次');
    expect(d.nextSteps[0]).not.toMatch(/人|东溪村/);
    expect(d.problems[0]).not.toContain('东溪村');
  });

  it('many villages with long names and large numbers: fewer indicators per table so nothing overflows, villages in number order', () => {
    const rate = (id: string, group: string | null, n: number, d: number): IndicatorResult => ({ id, name: id, unit: '%', kind: 'rate', factor: 100, period, group, numerator: n, denominator: d, value: (n / d) * 100 });
    const ids = ['health-record-rate', 'e-health-record-rate', 'health-record-usage-rate'];
    const villages = Array.from({ length: 45 }, (_v, i) => `第${i + 1}村民委员会居住区`);
    const total: ComputeResult = { period, by: null, schedule: '2021', notes: [], results: ids.map((id) => rate(id, null, 31913, 54900)) };
    const by: ComputeResult = { period, by: 'village', schedule: '2021', notes: [], results: ids.flatMap((id) => villages.map((v, i) => rate(id, v, 700 + i, 1200 + i * 10))) };
    const input: SummaryInput = { unit: '某镇卫生院', year: '2025', period, planTitle: '计划', overview: [], planFacts: [], tasks: [], nextSteps: [], total, byVillage: by, population: null, date: '2025年12月31日', targets: [] };
    const tables = fitVillageTables(buildSummaryData(input, { ...phrases, value: (r) => `${(r.value as number).toFixed(1)}%` })).programmes[0]!.villageTables;
    expect(tables.map((t) => t.columns.length)).toEqual([2, 1]);
    for (const t of tables) {
      const widths = columnWidths(['村', ...t.columns], t.rows.map((r) => [r.village, ...r.cells]), ['left', ...t.columns.map(() => 'right' as const)]);
      // Every number cell keeps one line: its column holds its widest text.
      t.columns.forEach((_c, i) => expect(widths[i + 1]!).toBeGreaterThanOrEqual(Math.max(...t.rows.map((r) => cellWidth(r.cells[i]!))) * 120 + 160));
    }
    expect(tables[0]!.rows.slice(0, 11).map((r) => r.village)).toEqual(villages.slice(0, 11));
  });

    it('reasons: database column names become words, inner brackets go, the trailing 无法计算 goes', () => {
    expect(reasonWords('缺少2025年人口基础数据（elderly_65），无法计算')).toBe('缺少2025年人口基础数据中的65岁及以上老年人数');
    expect(reasonWords('分母为0（统计期间内没有应统计的对象）')).toBe('分母为0，统计期间内没有应统计的对象');
  });
});

describe('assessment result document', () => {
  it('hand-scored items show “—” as their value, scores without spaces, targets phrased as in the summary', async () => {
    const plan = loadPlanFile(path.join(root, 'examples', 'qingshi-2025-assessment.yaml')).plan!;
    const scheme = planAssessmentScheme(plan)!;
    const compute = await computeForSummary(db, '2025', []);
    const md = plain(await assessmentMarkdown(plan, assess(scheme, compute.total!.results, '2025'), compute.period));
    expect(md).toMatch(/\| 健康教育活动开展情况 \| — \| — \| 10 \| 9 \|/);
    expect(md).toContain('健康教育活动开展情况：人工评分9分。');
    expect(md).toMatch(/\| 传染病疫情报告及时率 \| 达到100% \|/);
    const half = plain(await assessmentMarkdown(plan, assess(scheme, compute.total!.results, '2025-01..2025-06'), { label: '2025-01..2025-06', start: '2025-01-01', end: '2025-06-30' }));
    expect(half).toMatch(/^# 青石镇卫生院2025年1—6月绩效考核结果/);
    expect(half).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});

describe('plan documents', () => {
  it('a level-3 heading that starts with a digit is set apart from its number: “4. 0～6岁…”, not “4.0～6岁…”', () => {
    const doc = markdownToDocument('## 重点工作\n\n### 公共卫生\n\n#### 档案\n\n#### 0～6岁儿童健康管理\n');
    const hs = doc.blocks.filter((b) => b.type === 'heading').map((b) => (b as { number: string; text: string }).number + (b as { text: string }).text);
    expect(hs).toEqual(['一、重点工作', '（一）公共卫生', '1.档案', '2. 0～6岁儿童健康管理']);
  });

  it('HTML breaks a long title where the DOCX does', () => {
    expect(toHtml(markdownToDocument('# 云栖社区卫生服务中心2025年公共卫生工作计划\n'))).toContain('<h1>云栖社区卫生服务中心<br>2025年公共卫生工作计划</h1>');
  });
});
