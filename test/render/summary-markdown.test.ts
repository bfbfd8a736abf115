// The summary document's Markdown on a real database: sections in order, village tables with 合计, chart, problems, tasks; empty cases.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureDb } from './fixture-db.js';
import { loadPlanFile } from '../../src/plan/load.js';
import { planIndicatorTargets } from '../../src/plan/plan-targets.js';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { computeForSummary } from '../../src/summary/compute.js';
import { planMarkdown, summaryMarkdown as renderSummaryMarkdown } from '../../src/render/render.js';
import { summaryData } from '../../src/summary/data.js';

/** The summary's data and its Markdown, as plan render --summary makes them. */
async function summaryMarkdown(plan: Parameters<typeof summaryData>[0], compute: Parameters<typeof summaryData>[1], targets: Parameters<typeof summaryData>[2]) {
  const data = summaryData(plan, compute, targets);
  return { data, markdown: await renderSummaryMarkdown(data) };
}

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-summd-'));
const db = path.join(tmp, 'reg.sqlite');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => buildFixtureDb(db));

const load = (f: string) => loadPlanFile(path.join(root, 'examples', f)).plan!;

describe('summary markdown', () => {
  it('has every part of a 工作总结 in order, with numbers and gaps', async () => {
    const plan = load('qingshi-2025-annual-plan.yaml');
    const targets = planIndicatorTargets(plan, loadIndicatorCatalog());
    const { markdown, data } = await summaryMarkdown(plan, await computeForSummary(db, '2025', targets), targets);
    const order = ['# 青石镇卫生院2025年工作总结', '## 基本概况', '## 工作开展情况', '### 居民健康档案管理', '### 高血压患者健康管理', '### 计划重点任务', '## 存在问题', '## 下一步打算'];
    let at = -1;
    for (const h of order) {
      const i = markdown.indexOf(h);
      expect(i, h).toBeGreaterThan(at);
      at = i;
    }
    expect(markdown).toContain('| 合计 |');
    expect(markdown).toContain('```chart');
    expect(markdown).toContain('::: signature');
    expect(data.problems.length).toBeGreaterThan(0);
    expect(data.tasks.length).toBeGreaterThan(0);
    // Indicators with no register data say so rather than show a number.
    const elderly = data.programmes.find((p) => p.key === 'elderly')!.indicators[0]!;
    expect(elderly.value).toBe('无数据');
  });

  it('a missing database gives a summary that says so', async () => {
    const plan = load('qingshi-2025-annual-plan.yaml');
    const { markdown } = await summaryMarkdown(plan, await computeForSummary(path.join(tmp, 'none.sqlite'), '2025', []), []);
    expect(markdown).toContain('未找到登记表数据库');
    expect(markdown).not.toMatch(/\d+\\?\.\d%/);
    // No file path or command in a document that is printed and filed.
    expect(markdown).not.toContain('none.sqlite');
    expect(markdown).not.toContain('registers import');
  });

  it('renders every example plan kind', async () => {
    for (const f of fs.readdirSync(path.join(root, 'examples')).filter((x) => x.endsWith('.yaml'))) {
      const md = await planMarkdown(load(f));
      expect(md.startsWith('# '), f).toBe(true);
      expect(md).toContain('::: signature');
    }
  });
});

describe('assessment markdown', () => {
  it('lists every item with its score, the total and the grade with its consequence', async () => {
    const { assessmentScheme: planAssessmentScheme } = await import('../../src/assessment/scheme.js');
    const { assess } = await import('../../src/assessment/score.js');
    const { assessmentMarkdown } = await import('../../src/render/render.js');
    const plan = load('qingshi-2025-assessment.yaml');
    const scheme = planAssessmentScheme(plan)!;
    const compute = await computeForSummary(db, '2025', []);
    const result = assess(scheme, compute.total!.results, '2025');
    const md = await assessmentMarkdown(plan, result, compute.period);
    for (const it of result.items) expect(md).toContain(`| ${it.name} |`);
    expect(md).toContain(`考核等级为“${result.grade}”`);
    if (result.consequence) expect(md).toContain('## 结果运用');
    expect(md).toMatch(/\| 合计 \|.*\| 100 \|/);
  });
});
