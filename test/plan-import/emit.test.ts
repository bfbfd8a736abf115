// The draft in the current plan format: chapters onto the format's keys only where heading and order allow, the author's order kept, every loss and guess commented.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { importPlanFile, planDraftYaml } from '../../src/plan-import/index.js';
import { validatePlanFile } from '../../src/plan/validate.js';
import { examplePlan, importText } from './helpers.js';

function draft(text: string) {
  const r = importText(text);
  const yaml = planDraftYaml(r, r.plans[0]!);
  return { yaml, value: parse(yaml) as Record<string, any>, lines: yaml.split('\n') };
}
/** The comment lines right above the first line matching `re`. */
function commentsAbove(lines: string[], re: RegExp): string[] {
  const i = lines.findIndex((l) => re.test(l));
  const out: string[] = [];
  for (let j = i - 1; j >= 0 && lines[j]!.trim().startsWith('#'); j--) out.unshift(lines[j]!.trim());
  return out;
}
function validate(yaml: string) {
  const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'gw-emit-')), 'draft.yaml');
  writeFileSync(f, yaml);
  return validatePlanFile(f, loadIndicatorCatalog()).issues;
}

describe('the draft', () => {
  it('the example plan: metadata, 前言, 指导思想, 工作目标 with its targets, sections, 保障措施 — and it validates clean', () => {
    const r = importPlanFile(examplePlan);
    const yaml = planDraftYaml(r, r.plans[0]!);
    const v = parse(yaml);
    expect(Object.keys(v)).toEqual(['文档类型', '标题', '单位', '年度', '发文日期', '前言', '指导思想', '工作目标', '重点工作', '保障措施']);
    expect(v).toMatchObject({ 文档类型: '年度工作计划', 单位: '青石镇卫生院', 年度: 2026, 发文日期: '2026-01-08' });
    expect(v.工作目标.指标).toEqual([
      { 指标: '居民健康档案建档率', 目标: '达到90%' },
      { 指标: '高血压患者规范管理率', 目标: '不低于65%' },
      { 指标: '2型糖尿病患者规范管理率', 目标: '不低于65%' },
      { 指标: '乙肝疫苗首针及时接种率', 目标: '≥90%' },
      { 指标: '0～6岁儿童健康管理率', 目标: '85%以上' },
      { 指标: '孕产妇系统管理率', 目标: '达到90%', 自定义: true },
    ]);
    expect(v.重点工作.小节.map((s: any) => s.标题)).toEqual(['基本公共卫生服务', '预防接种', '医疗质量与安全']);
    expect(v.重点工作.小节[1].任务).toEqual(['每月按时开设接种门诊，做好冷链设备的温度记录。', '对流动儿童每季度主动搜索一次，及时补种。']);
    expect(validate(yaml)).toEqual([]);
  });

  it('chapters whose headings are not the format’s keys stay in order under 重点工作 (主要措施 in an 实施方案), and the draft says why', () => {
    const d = draft('白沙镇卫生院2026年预防接种实施方案\n一、指导思想\n以儿童健康为中心。\n二、基本原则\n坚持预防为主。\n三、目标任务\n0岁组接种率98%以上。\n四、检查验收\n年底验收。\n');
    expect(Object.keys(d.value)).toEqual(['文档类型', '标题', '单位', '年度', '指导思想', '主要措施', '检查验收']);
    expect(d.value.主要措施.map((s: any) => s.标题)).toEqual(['基本原则', '目标任务']);
    expect(d.value.主要措施[1].指标).toEqual([{ 指标: '0岁组接种率', 目标: '98%以上' }]);
    expect(commentsAbove(d.lines, /^主要措施:/).join('')).toMatch(/没有自由的一级章节.*2 个一级标题/);
  });

  it('keeps the author’s order where the format cannot: a paragraph after a list, a table, a fifth level — as text, with a comment', () => {
    const d = draft([
      '白沙镇卫生院2026年工作计划',
      '一、重点工作',
      '（一）慢病管理',
      '1、每季度随访一次高血压患者。',
      '2、每季度随访一次糖尿病患者。',
      '以上工作由公卫办负责。',
      '（二）层级',
      '1、第三级',
      '（1）第四级',
      '①第五级',
      '说明第五级。',
      '②第五级之二',
      '说明之二。',
    ].join('\n'));
    const main = d.value.重点工作.小节;
    expect(main[0]).toEqual({ 标题: '慢病管理', 内容: ['1、每季度随访一次高血压患者。', '2、每季度随访一次糖尿病患者。', '以上工作由公卫办负责。'] });
    expect(commentsAbove(d.lines, /标题: 慢病管理/).length + commentsAbove(d.lines, /内容:/).length).toBeGreaterThan(0);
    expect(d.yaml).toMatch(/# 请核对：原文在列表或小节之后还有段落/);
    const fourth = main[1].小节[0].小节[0];
    expect(fourth.标题).toBe('第四级');
    expect(fourth.内容).toEqual(['①第五级', '说明第五级。', '②第五级之二', '说明之二。']);
    expect(d.yaml).toMatch(/# 请核对：现行计划格式的章节最多 4 级/);
    expect(validate(d.yaml).map((i) => i.code)).not.toContain('PLAN_SECTION_DEPTH');
  });

  it('a year, a unit and a title not found are placeholders the author must fill, with comments on their lines; a partial date stays in 结束语', () => {
    const d = draft('一、目标\n做好建档工作。\n20xx年1月1日\n');
    expect(d.value).toMatchObject({ 单位: 'XXX卫生院', 年度: '20xx', 结束语: ['20xx年1月1日'] });
    expect(commentsAbove(d.lines, /^单位:/).join('')).toContain('请核对：原文中没有找到单位名称');
    expect(commentsAbove(d.lines, /^年度:/).join('')).toContain('请核对：原文中没有写明年度');
    expect(d.yaml).toMatch(/请核对：原文的落款日期“20xx年1月1日”不是完整的日期/);
    expect(validate(d.yaml).map((i) => i.code)).toEqual(expect.arrayContaining(['PLAN_PLACEHOLDER']));
  });

  it('targets written outside any section go to 工作目标 with a note; a placeholder target is written as it stands, with its comment', () => {
    const d = draft('青石镇卫生院2026年工作计划\n全年孕产妇系统管理率达到xx%，高血压患者规范管理率不低于65%。\n一、重点工作\n做好随访。\n');
    expect(d.value.工作目标.指标).toEqual([
      { 指标: '孕产妇系统管理率', 目标: '达到xx%', 自定义: true },
      { 指标: '高血压患者规范管理率', 目标: '不低于65%' },
    ]);
    expect(commentsAbove(d.lines, /^工作目标:/).join('')).toContain('写在正文的段落里');
    expect(commentsAbove(d.lines, /指标: 孕产妇系统管理率/).join('')).toMatch(/还是占位符.*自定义指标|自定义指标.*还是占位符/s);
  });

  it('附件 and 版记, which the format has no keys for, end 结束语 with comments; the signature fills 单位 and 发文日期', () => {
    const d = draft('白沙镇卫生院2026年工作计划\n一、目标\n做好工作。\n白沙镇卫生院\n2026年1月8日\n抄送：县卫生健康局\n附件：重点工作分解表\n1月：摸底。\n');
    expect(d.value).toMatchObject({ 单位: '白沙镇卫生院', 发文日期: '2026-01-08' });
    expect(d.value.结束语).toEqual(['抄送：县卫生健康局', '附件：重点工作分解表', '1月：摸底。']);
    expect(commentsAbove(d.lines, /- 抄送：/).join('')).toContain('版记');
    expect(commentsAbove(d.lines, /- 附件：/).join('')).toContain('现行计划格式没有“附件”');
  });
});
