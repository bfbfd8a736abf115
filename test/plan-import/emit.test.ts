// The draft in the plan format: the author's chapters as 正文, 条目, 表格, 结尾, 附件 and the 版记, the author's order kept, every guess commented.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { importPlanFile, planDraftYaml } from '../../src/plan-import/index.js';
import { validatePlanFile } from '../../src/plan/validate.js';
import { examplePlan, importText } from './helpers.js';

function draft(text: string, name = 'plan.txt') {
  const r = importText(text, {}, name);
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
  it('the example plan: metadata, 前言, the chapters as 正文 with their own headings, targets in the chapter of their sentence, 附件, 抄送 — and it validates clean', () => {
    const r = importPlanFile(examplePlan);
    const yaml = planDraftYaml(r, r.plans[0]!);
    const v = parse(yaml);
    expect(Object.keys(v)).toEqual(['文档类型', '标题', '单位', '年度', '发文日期', '前言', '正文', '附件', '抄送']);
    expect(v.附件).toEqual([{ 标题: '2026年重点工作进度安排', 内容: ['第一季度完成居民健康档案核查和冷链设备检查。', '第三季度开展流动儿童查漏补种。'] }]);
    expect(v.抄送).toBe('青石镇人民政府，县卫生健康局');
    expect(v).toMatchObject({ 文档类型: '年度工作计划', 单位: '青石镇卫生院', 年度: 2026, 发文日期: '2026-01-08' });
    expect(v.正文.map((c: any) => c.标题)).toEqual(['指导思想', '工作目标', '重点工作', '保障措施']);
    expect(v.正文[1].指标).toEqual([
      { 指标: '居民健康档案建档率', 目标: '达到90%' },
      { 指标: '高血压患者规范管理率', 目标: '不低于65%' },
      { 指标: '2型糖尿病患者规范管理率', 目标: '不低于65%' },
      { 指标: '乙肝疫苗首针及时接种率', 目标: '≥90%' },
      { 指标: '0～6岁儿童健康管理率', 目标: '85%以上' },
      { 指标: '孕产妇系统管理率', 目标: '达到90%', 自定义: true },
    ]);
    expect(v.正文[2].小节.map((s: any) => s.标题)).toEqual(['基本公共卫生服务', '预防接种', '医疗质量与安全']);
    expect(v.正文[2].小节[1].条目).toEqual(['每月按时开设接种门诊，做好冷链设备的温度记录。', '对流动儿童每季度主动搜索一次，及时补种。']);
    expect(validate(yaml)).toEqual([]);
  });

  it('the author’s chapters stay chapters, in order, with the author’s headings — no comment about the format', () => {
    const d = draft('白沙镇卫生院2026年预防接种实施方案\n一、指导思想\n以儿童健康为中心。\n二、基本原则\n坚持预防为主。\n三、目标任务\n0岁组接种率98%以上。\n四、检查验收\n年底验收。\n');
    expect(Object.keys(d.value)).toEqual(['文档类型', '标题', '单位', '年度', '正文']);
    expect(d.value.正文.map((s: any) => s.标题)).toEqual(['指导思想', '基本原则', '目标任务', '检查验收']);
    expect(d.value.正文[2].指标).toEqual([{ 指标: '0岁组接种率', 目标: '98%以上' }]);
    expect(d.yaml).not.toMatch(/# 请核对：/);
    expect(validate(d.yaml)).toEqual([]);
  });

  it('numbered items are 条目, a table is 表格, paragraphs after the items or the subsections are 结尾 — in the author’s order, without comments', () => {
    const d = draft([
      '白沙镇卫生院2026年工作计划',
      '一、慢病管理',
      '做好以下工作。',
      '1、每季度随访一次高血压患者。',
      '2、每季度随访一次糖尿病患者。',
      '以上工作由公卫办负责。',
      '二、考核方式',
      '采取以下方式进行考核。',
      '（一）查阅资料',
      '查阅财务报表。',
      '（二）现场检查',
      '查看服务流程。',
      '以上几种方式结合使用。',
    ].join('\n'));
    const [first, second] = d.value.正文;
    expect(first).toEqual({ 标题: '慢病管理', 内容: ['做好以下工作。'], 条目: ['每季度随访一次高血压患者。', '每季度随访一次糖尿病患者。'], 结尾: ['以上工作由公卫办负责。'] });
    expect(second.内容).toEqual(['采取以下方式进行考核。']);
    expect(second.小节.map((s: any) => s.标题)).toEqual(['查阅资料', '现场检查']);
    // The tree holds the last paragraph in the last subsection or after it; either way it is written after the subsections.
    expect([second.结尾, second.小节[1].内容].flat()).toContain('以上几种方式结合使用。');
    expect(d.yaml).not.toMatch(/# 请核对：/);
    expect(validate(d.yaml)).toEqual([]);
  });

  it('a table (Markdown source) becomes 表格 with 表头 and 行; a ragged one is padded and commented', () => {
    const d = draft(['# 白沙镇卫生院2026年工作计划', '## 进度安排', '| 序号 | 工作内容 | 完成时限 |', '|---|---|---|', '| 1 | 冷链设备检查 | 3月底前 |', '| 2 | 查漏补种 | 9月底前 |', ''].join('\n'), 'plan.md');
    expect(d.value.正文[0]).toEqual({ 标题: '进度安排', 表格: { 表头: ['序号', '工作内容', '完成时限'], 行: [['1', '冷链设备检查', '3月底前'], ['2', '查漏补种', '9月底前']] } });
    expect(validate(d.yaml)).toEqual([]);
  });

  it('what the format cannot hold keeps its place as text with a comment: a list after a table, a fifth level', () => {
    const md = draft('# 白沙镇卫生院2026年工作计划\n## 进度\n安排如下。\n\n| 序号 | 工作 |\n|---|---|\n| 1 | 摸底 |\n\n1、第一条。\n2、第二条。\n', 'plan.md');
    expect(md.value.正文[0].内容).toEqual(['安排如下。', '序号｜工作', '1｜摸底', '1、第一条。', '2、第二条。']);
    expect(commentsAbove(md.lines, /^ *内容:/).join('')).toMatch(/列表、表格和段落交替出现/);
    const d = draft([
      '白沙镇卫生院2026年工作计划',
      '一、重点工作',
      '（一）层级',
      '1、第三级',
      '（1）第四级',
      '①第五级',
      '说明第五级。',
      '②第五级之二',
    ].join('\n'));
    const fourth = d.value.正文[0].小节[0].小节[0].小节[0];
    expect(fourth.标题).toBe('第四级');
    expect(fourth.结尾).toEqual(['①第五级', '说明第五级。', '②第五级之二']);
    expect(d.yaml).toMatch(/# 请核对：计划格式的章节最多 4 级/);
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

  it('targets written before the chapters go to the chapter about 目标 with a note; a placeholder target is written as it stands, with its comment', () => {
    const d = draft('青石镇卫生院2026年工作计划\n全年孕产妇系统管理率达到xx%，高血压患者规范管理率不低于65%。\n一、重点工作\n做好随访。\n二、工作目标\n完成上级下达的任务。\n');
    expect(d.value.正文[1].指标).toEqual([
      { 指标: '孕产妇系统管理率', 目标: '达到xx%', 自定义: true },
      { 指标: '高血压患者规范管理率', 目标: '不低于65%' },
    ]);
    expect(commentsAbove(d.lines, /^ *指标:/).join('')).toContain('各章之外');
    expect(commentsAbove(d.lines, /指标: 孕产妇系统管理率/).join('')).toMatch(/还是占位符.*自定义指标|自定义指标.*还是占位符/s);
    const flat = draft('青石镇卫生院2026年工作计划\n全年高血压患者规范管理率不低于65%。\n');
    expect(flat.value.工作目标.指标).toEqual([{ 指标: '高血压患者规范管理率', 目标: '不低于65%' }]);
  });

  it('附件 with its title and content, 抄送 and 印发 as the 版记; the signature fills 单位 and 发文日期 — and it validates clean', () => {
    const d = draft('白沙镇卫生院2026年工作计划\n一、目标\n做好工作。\n白沙镇卫生院\n2026年1月8日\n抄送：县卫生健康局、县财政局。\n白沙镇卫生院办公室 2026年1月9日印发\n附件：重点工作分解表\n1月：摸底。\n');
    expect(d.value).toMatchObject({ 单位: '白沙镇卫生院', 发文日期: '2026-01-08', 抄送: '县卫生健康局、县财政局', 印发机关: '白沙镇卫生院办公室', 印发日期: '2026-01-09' });
    expect(d.value.附件).toEqual([{ 标题: '重点工作分解表', 内容: ['1月：摸底。'] }]);
    expect(d.value.结束语).toBeUndefined();
    expect(validate(d.yaml)).toEqual([]);
  });
});

describe('an assessment scheme', () => {
  const scheme = [
    '# 白沙镇卫生院2026年绩效考核方案',
    '## 考核内容',
    '考核按下表进行。',
    '',
    '| 类别 | 考核内容 | 分值 | 目标 | 计算公式 | 评分标准 |',
    '|---|---|---|---|---|---|',
    '| 公共卫生服务 | 高血压患者规范管理率 | 40 | 不低于65% | 规范管理人数/管理人数×100% | 达标得满分 |',
    '|  | 居民健康档案建档率 | 40 | 达到90% | 建档人数/常住人口数×100% |  |',
    '| 小计 |  | 80 |  |  |  |',
    '| 综合管理 | 行政管理 | 20 |  |  | 资料齐全 |',
    '| 合计 |  | 100 |  |  |  |',
    '',
  ].join('\n');

  it('its scoring table becomes 考核: 分类 with subtotals, 指标 with 类别/计算公式/说明, 其他项目 — the table stays in the text; it validates clean', () => {
    const d = draft(scheme, 'scheme.md');
    expect(d.value.文档类型).toBe('考核方案');
    expect(d.value.考核).toEqual({
      分类: { 公共卫生服务: 80, 综合管理: 20 },
      指标: [
        { 指标: '高血压患者规范管理率', 目标: '不低于65%', 分值: 40, 类别: '公共卫生服务', 计算公式: '规范管理人数/管理人数×100%', 说明: '达标得满分' },
        { 指标: '居民健康档案建档率', 目标: '达到90%', 分值: 40, 类别: '公共卫生服务', 计算公式: '建档人数/常住人口数×100%' },
      ],
      其他项目: [{ 名称: '行政管理', 分值: 20, 类别: '综合管理', 说明: '资料齐全' }],
    });
    expect(d.value.正文[0].表格.行).toHaveLength(5);
    expect(commentsAbove(d.lines, /^考核:/).join('')).toMatch(/由原文的考核表生成/);
    expect(validate(d.yaml).filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('points that do not add up to 100 or a 小计 that differs are commented, never corrected; a table without a points column is no scoring table', () => {
    const d = draft(scheme.replace('| 综合管理 | 行政管理 | 20 |', '| 综合管理 | 行政管理 | 25 |').replace('| 小计 |  | 80 |', '| 小计 |  | 75 |'), 'scheme.md');
    expect(d.value.考核.其他项目[0].分值).toBe(25);
    expect(d.value.考核.分类).toEqual({ 公共卫生服务: 80, 综合管理: 25 });
    expect(commentsAbove(d.lines, /^考核:/).join('')).toMatch(/合计 105 分，不是 100 分/);
    expect(d.yaml).toMatch(/# 请核对：原文“公共卫生服务”的小计是 75 分，各项分值之和是 80 分/);
    const none = draft(scheme.replace('| 分值 |', '| 权限 |'), 'scheme.md');
    expect(none.value.考核).toBeUndefined();
    expect(none.yaml).toMatch(/# 请核对：原文中没有找到考核表/);
  });
});
