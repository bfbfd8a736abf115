#!/usr/bin/env node
// Render benchmarks (compiled dist): one plan to DOCX, a summary with all indicators by village on the county database, 100 plans in a batch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(root, 'dist', p));
const ms = (t) => `${(t / 1000).toFixed(3)} s`;

const { loadPlanFile } = await dist('plan/load.js');
const render = await dist('render/render.js');
const { planIndicatorTargets } = await dist('plan/plan-targets.js');
const { loadIndicatorCatalog } = await dist('catalog/indicators.js');
const { summaryData } = await dist('summary/data.js');

const examples = fs.readdirSync(path.join(root, 'examples')).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(root, 'examples', f));
const plans = examples.map((f) => ({ file: f, ...loadPlanFile(f) })).filter((p) => p.plan);
const annual = plans.find((p) => /文档类型\s*:\s*年度工作计划/.test(fs.readFileSync(p.file, 'utf8'))) ?? plans[0];
if (!annual) {
  console.error('examples/ 中没有可用的计划文件');
  process.exit(2);
}
console.log(`机器：${os.cpus().length} 核，负载 ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')}；Node ${process.version}`);

// 0. Templates alone (plan → Markdown), then check the document engine is there.
let t0 = performance.now();
await render.planMarkdown(annual.plan);
console.log(`模板编译 + 一个计划 → Markdown：${ms(performance.now() - t0)}`);
t0 = performance.now();
for (let i = 0; i < 100; i++) await render.planMarkdown(plans[i % plans.length].plan);
console.log(`100 个计划 → Markdown（模板阶段）：${ms(performance.now() - t0)}`);
let engineOk = true;
try {
  await render.convertMarkdown('# x', 'docx');
} catch (e) {
  engineOk = false;
  console.log(`文档排版模块不可用（${e.code ?? e.message}），DOCX/HTML 基准跳过。`);
}

// 2. Summary with all indicators by village on the county-scale database.
const dataDir = path.join(root, 'bench', 'data');
const county = fs.existsSync(dataDir) ? fs.readdirSync(dataDir).filter((f) => /\.(sqlite|db)$/.test(f)).map((f) => path.join(dataDir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0] : undefined;
if (!county) {
  console.log('县级规模数据库：bench/data/ 中没有 .sqlite 文件（由 XLSX/INDICATORS 的基准脚本生成），跳过总结基准。');
} else {
  const { computeForSummary } = await dist('summary/compute.js');
  const catalog = loadIndicatorCatalog();
  const targets = planIndicatorTargets(annual.plan, catalog);
  t0 = performance.now();
  const compute = await computeForSummary(county, String(annual.plan['年度'] ?? '2025'), targets);
  const tCompute = performance.now() - t0;
  t0 = performance.now();
  const data = summaryData(annual.plan, compute, targets, catalog);
  const s = { data, markdown: await render.summaryMarkdown(data) };
  const tMd = performance.now() - t0;
  let tDocx = 0;
  let docxNote = '（排版模块不可用，未计 DOCX）';
  if (engineOk) {
    t0 = performance.now();
    await render.convertMarkdown(s.markdown, 'docx');
    tDocx = performance.now() - t0;
    docxNote = '';
  }
  const villages = new Set(compute.byVillage?.results.filter((r) => r.group !== null).map((r) => r.group)).size;
  console.log(`工作总结（${path.basename(county)}，${(fs.statSync(county).size / 1e6).toFixed(1)} MB，${villages} 个村，${s.data.programmes.reduce((n, p) => n + p.indicators.length, 0)} 项指标，按村）：计算 ${ms(tCompute)} + 模板 ${ms(tMd)} + DOCX ${ms(tDocx)} = ${ms(tCompute + tMd + tDocx)}${docxNote}（目标 ≤ 2 s）`);
}

if (!engineOk) process.exit(0);

// 1. One plan to DOCX, cold (first call compiles the templates and loads docx) and warm.
t0 = performance.now();
const first = await render.renderPlan(annual.plan, { format: 'docx' });
const cold = performance.now() - t0;
t0 = performance.now();
await render.renderPlan(annual.plan, { format: 'docx' });
const warm = performance.now() - t0;
console.log(`一个计划 → DOCX（${path.basename(annual.file)}，${first.output.length} 字节）：首次 ${ms(cold)}，再次 ${ms(warm)}（目标 ≤ 0.5 s）`);

// 3. 100 plans in one batch (the examples repeated), to DOCX and to HTML.
for (const format of ['docx', 'html']) {
  t0 = performance.now();
  for (let i = 0; i < 100; i++) await render.renderPlan(plans[i % plans.length].plan, { format });
  const t = performance.now() - t0;
  console.log(`100 个计划 → ${format.toUpperCase()}：${ms(t)}（平均 ${(t / 100).toFixed(1)} ms/个）`);
}
