// The real seed plans, split into their ~40 plans: no sentence lost in the tree or in the draft rendered back, drafts that load, targets found.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { importPlanFile, planDraftYaml, type ImportResult } from '../../src/plan-import/index.js';
import { planText } from '../../src/plan-import/tree.js';
import { validatePlanFile } from '../../src/plan/validate.js';
import { planMarkdown } from '../../src/render/render.js';
import { draftText, markdownText, outOfOrder, seedFile, seedNames, sourceSentences, squeeze } from './helpers.js';

/** The renderer writes 条目, 结尾 and 附件 (the extended plan format): the rendered round trip can be checked. */
const rendersExtendedFormat = await (async () => {
  const md = await planMarkdown({ 文档类型: '年度工作计划', 单位: '青石镇卫生院', 年度: 2026, 正文: [{ 标题: '甲', 条目: ['条目之一'], 小节: [{ 标题: '乙', 内容: '丙' }], 结尾: '结尾之一' }], 附件: [{ 标题: '附件之一', 内容: '丁' }] } as never);
  return ['条目之一', '结尾之一', '附件之一'].every((t) => md.includes(t));
})();

const results = new Map<string, ImportResult>();
beforeAll(() => {
  for (const name of seedNames) results.set(name, importPlanFile(seedFile(name), { split: true }));
});

describe('the seed collections', () => {
  it('split into 40 plans at their labels (篇一…篇十三, 篇1 inside a paragraph, 范文（一）, 实施方案1 …)', () => {
    const counts = seedNames.map((n) => results.get(n)!.plans.length);
    expect(counts).toEqual([14, 3, 4, 9, 10]);
    const labels = seedNames.map((n) => results.get(n)!.plans.map((p) => p.part?.label));
    expect(labels[0]!.slice(0, 3)).toEqual(['卫生院年度的工作计划篇一', '卫生院年度的工作计划篇二', '卫生院年度的工作计划篇三']);
    expect(labels[1]).toEqual(['年度卫生工作安排 篇1', '年度卫生工作安排 篇2', '年度卫生工作安排 篇3']);
    expect(labels[2]!.at(-1)).toBe('2021医院年度工作计划范文（四）');
    expect(labels[3]!.at(-1)).toBe('乡镇卫生院工作实施方案9');
    expect(labels[4]!.at(-1)).toBe('社区爱国卫生工作计划篇十');
  });

  it('every sentence of the source (numbering aside) is in the tree of its plan: 100 % for each of the 40 plans', () => {
    const shares: string[] = [];
    for (const name of seedNames) {
      const r = results.get(name)!;
      const source = sourceSentences(readFileSync(seedFile(name), 'utf8'));
      const starts = r.plans.map((p, i) => (i === 0 ? 1 : p.part!.at));
      r.plans.forEach((plan, i) => {
        const from = starts[i]!;
        const to = starts[i + 1] ?? Infinity;
        // A line that holds several labels (001 is one long line) belongs to each plan it opens.
        const sharing = r.plans.filter((p) => p === plan || p.part!.at === plan.part!.at);
        const text = squeeze(sharing.flatMap((p) => planText(p)).join(''));
        const mine = source.filter((s) => s.line >= from && s.line < to);
        const missing = mine.filter((s) => !text.includes(s.text));
        shares.push(`${name.slice(0, 3)}#${i + 1} ${mine.length - missing.length}/${mine.length}`);
        expect(missing.map((s) => `${s.line}: ${s.text}`), `${name} plan ${i + 1}`).toEqual([]);
      });
    }
    console.info(`sentences kept per plan: ${shares.join(', ')}`);
  });

  /** Each plan's source sentences in source order, without the lines that became metadata (title, label, signature, date, 版记), with the text to find them in. */
  function inOrderCheck(textOf: (r: ImportResult, plan: ImportResult['plans'][number]) => string): string[] {
    const shares: string[] = [];
    for (const name of seedNames) {
      const r = results.get(name)!;
      const source = sourceSentences(readFileSync(seedFile(name), 'utf8'));
      const starts = r.plans.map((p, i) => (i === 0 ? 1 : p.part!.at));
      r.plans.forEach((plan, i) => {
        const sharing = r.plans.filter((p) => p === plan || p.part!.at === plan.part!.at);
        const meta = sharing.flatMap((p) => [p.meta.标题?.value, p.meta.落款?.value, p.meta.成文日期?.value, ...(p.meta.版记 ?? []).map((f) => f.value)]);
        const metaText = squeeze(meta.filter(Boolean).join('\n'));
        // A collection's labels (篇1, 篇2 …) are no plan's text: 001 writes them inside its sentences.
        const labels = r.plans.map((p) => squeeze(p.part?.label ?? '')).filter(Boolean).sort((a, b) => b.length - a.length);
        const mine = source
          .filter((s) => s.line >= starts[i]! && s.line < (starts[i + 1] ?? Infinity))
          .flatMap((s) => labels.reduce((ts, l) => ts.flatMap((t) => t.split(l)), [s.text]).map((text) => ({ ...s, text })))
          .filter((s) => s.text && !metaText.includes(s.text));
        const missing = outOfOrder(mine, sharing.map((p) => textOf(r, p)).join(''));
        shares.push(`${name.slice(0, 3)}#${i + 1} ${mine.length - missing.length}/${mine.length}`);
        expect(missing, `${name} plan ${i + 1}`).toEqual([]);
      });
    }
    return shares;
  }

  it('each draft holds every sentence of its plan in the source’s order, read in the order the plan format writes a document', () => {
    const shares = inOrderCheck((r, p) => draftText(parse(planDraftYaml(r, p))));
    console.info(`sentences in the draft in order, per plan: ${shares.join(', ')}`);
  });

  it.skipIf(!rendersExtendedFormat)('each draft rendered back to Markdown (plan render -f md) holds every sentence of its plan, in the source’s order', async () => {
    const md = new Map<object, string>();
    for (const r of results.values()) for (const p of r.plans) md.set(p, markdownText(await planMarkdown(parse(planDraftYaml(r, p)))));
    const shares = inOrderCheck((_, p) => md.get(p)!);
    console.info(`sentences in the rendered Markdown in order, per plan: ${shares.join(', ')}`);
  });

  it('the drafts load as plans: the only errors are the ones the source has (placeholders, a year not written)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-import-'));
    const catalog = loadIndicatorCatalog();
    const codes = new Map<string, number>();
    for (const name of seedNames) {
      const r = results.get(name)!;
      for (const plan of r.plans) {
        const file = path.join(dir, `${name}-${plan.part!.index}.yaml`);
        const yaml = planDraftYaml(r, plan);
        writeFileSync(file, yaml);
        const lines = yaml.split('\n');
        for (const issue of validatePlanFile(file, catalog).issues) {
          codes.set(issue.code, (codes.get(issue.code) ?? 0) + 1);
          if (issue.severity !== 'error') continue;
          expect(['PLAN_PLACEHOLDER', 'PLAN_SCHEMA_TYPE', 'PLAN_TARGET_UNPARSEABLE', 'PLAN_TARGET_DUPLICATE'], `${file}:${issue.line} ${issue.message}`).toContain(issue.code);
          // Two targets for one name are the source's: the draft says so above the second one.
          if (issue.code === 'PLAN_TARGET_DUPLICATE') expect(lines.slice(0, issue.line).reverse().find((l) => l.includes('# 请核对'))).toMatch(/有两个不同的目标/);
          // A year that is not written stays a placeholder; a target that does not parse is one with xx% in it.
          if (issue.code === 'PLAN_SCHEMA_TYPE') expect(lines[issue.line! - 1]).toMatch(/^年度: 20xx$/);
          if (issue.code === 'PLAN_TARGET_UNPARSEABLE') expect(lines[issue.line! - 1]).toMatch(/目标: .*[xX×]/);
        }
      }
    }
    expect(codes.get('PLAN_PLACEHOLDER')).toBeGreaterThan(40);
  });

  it('targets: every sentence with a rate target gives one, linked to the catalogue only by exact name or alias; the share is reported', () => {
    let sentences = 0;
    let withTargets = 0;
    const linked = new Map<string, string>();
    let custom = 0;
    for (const r of results.values()) {
      for (const p of r.plans) {
        sentences += p.stats.sentences;
        withTargets += p.stats.withTargets;
        for (const t of p.targets) {
          if (t.indicator) linked.set(t.name, t.indicator.name);
          else custom++;
        }
      }
    }
    console.info(`target sentences: ${withTargets}/${sentences} (${Math.round((withTargets / sentences) * 100)}%) gave targets; linked names: ${[...linked].map(([a, b]) => `${a}→${b}`).join('，')}; custom targets: ${custom}`);
    expect(withTargets / sentences).toBeGreaterThanOrEqual(0.8);
    // Same meaning only: 乙肝首针接种率 is not the 及时 rate, 7岁以下儿童保健管理率 is not 健康管理率, 计划免疫接种率 is no age group.
    for (const name of ['乙肝首针接种率', '7岁以下儿童保健管理率', '计划免疫接种率', '麻疹疫苗接种率', '住院分娩率', '孕产妇系管率']) expect(linked.has(name), name).toBe(false);
    expect(linked.get('建档覆盖率')).toBe('居民健康档案建档率');
    expect(linked.get('法定传染病报告率')).toBe('传染病疫情报告率');
    expect(linked.get('乙肝疫苗首针及时接种率')).toBe('乙肝疫苗首针及时接种率');
    expect(linked.get('1-6岁组接种率')).toBe('1-6岁组接种率');
  });
});
