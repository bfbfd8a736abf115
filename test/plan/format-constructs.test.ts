// The constructs the seeds need (正文, 条目, 表格, 结尾, 附件, 抄送/版记, 考核 categories, formulas, 结果运用 for all
// grades) validate when written right, and each slip gets one Chinese message at its line:col (real binary), and
// `plan init` words a 社区卫生服务中心 as a centre.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gongwei, tempDir, tempFile } from './helpers.js';

const HEAD = '文档类型: 考核方案\n单位: 青石镇卫生院\n年度: 2025\n发文日期: 2025-01-10\n';
const ASSESS = `考核:
  指标:
    - {指标: 高血压患者规范管理率, 目标: 不低于65%, 分值: 50}
  其他项目:
    - {名称: 行政管理, 分值: 50}
`;

type Issue = { code: string; severity: string; line: number; col: number; message: string; hint?: string };
function validate(yaml: string): { code: number | null; issues: Issue[] } {
  const r = gongwei(['plan', 'validate', '-f', 'json', tempFile('plan.yaml', yaml)]);
  expect(r.stderr).not.toMatch(/at .*\.js:\d+|TypeError|ReferenceError/);
  return { code: r.code, issues: JSON.parse(r.stdout).files[0].issues };
}
const at = (issues: Issue[]) => issues.map((i) => [i.code, i.line, i.col]);

describe('new constructs written right validate clean', () => {
  it('正文 with 条目, 表格 (with 标题 and 注), 小节 and 结尾; 附件; 抄送, 印发机关, 印发日期; 考核 with 分类, 类别, 计算公式, 说明 and 结果运用 as text', () => {
    const r = validate(`${HEAD}正文:
  - 标题: 工作目标
    条目: [建立首诊责任制。, 建立岗位竞争机制。]
  - 标题: 考核方式
    内容: 采取以下方式。
    表格:
      标题: 考核方式一览
      表头: [方式, 内容]
      行:
        - [查阅资料, 财务报表]
        - [现场检查, 3]
      注: 随机抽取职工座谈。
    小节:
      - {标题: 查阅资料, 内容: 查阅报表。}
    结尾: 以上方式结合使用。
考核:
  分类: {公共卫生服务: 60, 综合管理: 40}
  指标:
    - {指标: 高血压患者规范管理率, 目标: 不低于65%, 分值: 60, 类别: 公共卫生服务, 计算公式: 规范管理人数/管理人数×100%, 说明: 以随访记录为准}
  其他项目:
    - {名称: 行政管理, 分值: 40, 类别: 综合管理}
  结果运用:
    - 考核结果作为核发绩效工资的依据。
附件:
  - 标题: 绩效考核评分表
    表格: {表头: [项目, 分值], 行: [[综合管理, 40]]}
抄送: [县卫生健康局, 县财政局]
印发机关: 青石镇卫生院办公室
印发日期: 2025-01-12
`);
    expect(r.issues).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe('bad input for each new construct: one Chinese message at line:col', () => {
  it('正文 beside a fixed body key → PLAN_BODY_MIXED on the fixed key', () => {
    const r = validate(`${HEAD}指导思想: 坚持公益性。\n正文:\n  - {标题: 工作目标, 内容: 建立机制。}\n${ASSESS}`);
    expect(r.code).toBe(1);
    expect(at(r.issues)).toEqual([['PLAN_BODY_MIXED', 5, 1]]);
    expect(r.issues[0]!.message).toContain('写了“正文”，又写了“指导思想”');
    expect(r.issues[0]!.hint).toContain('- 标题: 指导思想');
  });
  it('正文 that is not a list of chapters → PLAN_SCHEMA_TYPE at 正文', () => {
    const r = validate(`${HEAD}正文: 坚持公益性。\n${ASSESS}`);
    expect(at(r.issues)).toEqual([['PLAN_SCHEMA_TYPE', 5, 5]]);
    expect(r.issues[0]!.message).toMatch(/正文/);
  });
  it('条目 with a number typed by hand → PLAN_MANUAL_NUMBERING at the item; 条目 as a map → schema type', () => {
    const r = validate(`${HEAD}正文:\n  - 标题: 工作目标\n    条目:\n      - 建立首诊责任制。\n      - 2、建立岗位竞争机制。\n${ASSESS}`);
    expect(at(r.issues)).toEqual([['PLAN_MANUAL_NUMBERING', 9, 9]]);
    expect(r.issues[0]!.message).toContain('条目“2、建立岗位竞争机制。”里手写了编号');
    const m = validate(`${HEAD}正文:\n  - 标题: 工作目标\n    条目:\n      一: 建立首诊责任制。\n${ASSESS}`);
    expect(m.issues.map((i) => i.code)).toEqual(['PLAN_SCHEMA_TYPE']);
    expect(m.issues[0]!.line).toBe(8);
  });
  it('a table row narrower or wider than the header → PLAN_TABLE_WIDTH at the row; a row that is not a list → schema; no 表头 → required', () => {
    const r = validate(`${HEAD}正文:\n  - 标题: 进度\n    表格:\n      表头: [序号, 工作, 时限]\n      行:\n        - [1, 建档, 3月底前]\n        - [2, 随访]\n${ASSESS}`);
    expect(at(r.issues)).toEqual([['PLAN_TABLE_WIDTH', 11, 11]]);
    expect(r.issues[0]!.message).toBe('表格第 2 行有 2 格，表头有 3 列');
    expect(r.issues[0]!.hint).toContain('空格写 ""');
    const s = validate(`${HEAD}正文:\n  - 标题: 进度\n    表格:\n      表头: [序号, 工作]\n      行:\n        - 建档\n${ASSESS}`);
    expect(at(s.issues)).toEqual([['PLAN_SCHEMA_TYPE', 10, 11]]);
    const q = validate(`${HEAD}正文:\n  - 标题: 进度\n    表格:\n      行: [[1, 建档]]\n${ASSESS}`);
    expect(q.issues.map((i) => i.code)).toEqual(['PLAN_SCHEMA_REQUIRED']);
    expect(q.issues[0]!.message).toContain('表头');
    expect(q.issues[0]!.line).toBe(7);
  });
  it('结尾 misspelt inside a chapter → 是否要写「结尾」; an empty chapter warns', () => {
    const r = validate(`${HEAD}正文:\n  - 标题: 考核方式\n    结语: 以上方式结合使用。\n  - 标题: 考核等级\n${ASSESS}`);
    expect(at(r.issues)).toEqual([['PLAN_SCHEMA_UNKNOWN_KEY', 7, 5], ['PLAN_EMPTY_SECTION', 8, 9]]);
    expect(r.issues[0]!.message).toContain('是否要写「结尾」');
  });
  it('附件: a title with “附件1：” typed → PLAN_MANUAL_NUMBERING; no 标题 → required; an attachment with nothing in it warns', () => {
    const r = validate(`${HEAD}${ASSESS}附件:\n  - 标题: 附件1：绩效考核评分表\n    内容: 见下表。\n  - 标题: 日程安排\n`);
    expect(at(r.issues)).toEqual([['PLAN_MANUAL_NUMBERING', 11, 9], ['PLAN_EMPTY_SECTION', 13, 9]]);
    expect(r.issues[1]!.message).toBe('附件“日程安排”没有任何内容');
    const q = validate(`${HEAD}${ASSESS}附件:\n  - 内容: 见下表。\n`);
    expect(q.issues.map((i) => i.code)).toEqual(['PLAN_SCHEMA_REQUIRED']);
    expect(q.issues[0]!.message).toContain('标题');
  });
  it('抄送 empty, 印发日期 not a date, 印发日期 in another year, 抄报 suggests 抄送', () => {
    const r = validate(`${HEAD}${ASSESS}抄送: []\n印发日期: 2025/01/12\n`);
    expect(at(r.issues)).toEqual([['PLAN_SCHEMA_EMPTY', 10, 1], ['PLAN_SCHEMA_FORMAT', 11, 7]]);
    expect(r.issues[1]!.hint).toContain('2025-01-12');
    const y = validate(`${HEAD}${ASSESS}印发日期: 2023-01-12\n`);
    expect(at(y.issues)).toEqual([['PLAN_DATE_YEAR', 10, 7]]);
    const s = validate(`${HEAD}${ASSESS}抄报: 县卫生健康局\n`);
    expect(s.issues[0]!.message).toContain('是否要写「抄送」');
  });
  it('考核 categories: an item without 类别, a 类别 not in 分类, a subtotal that does not add up', () => {
    const r = validate(`${HEAD}考核:
  分类: {公共卫生服务: 60, 综合管理: 40}
  指标:
    - {指标: 高血压患者规范管理率, 目标: 不低于65%, 分值: 60, 类别: 公共卫生}
  其他项目:
    - {名称: 行政管理, 分值: 30, 类别: 综合管理}
    - {名称: 财务管理, 分值: 10}
`);
    expect(r.code).toBe(1);
    expect(at(r.issues)).toEqual([
      ['PLAN_ASSESS_CATEGORY_TOTAL', 6, 16],
      ['PLAN_ASSESS_CATEGORY_TOTAL', 6, 26],
      ['PLAN_ASSESS_CATEGORY', 8, 48],
      ['PLAN_ASSESS_CATEGORY', 11, 7],
    ]);
    expect(r.issues[0]!.message).toBe('类别「公共卫生服务」（60分）下没有考核项目');
    expect(r.issues[1]!.message).toBe('类别「综合管理」各项分值合计为 30 分，小计写的是 40 分');
    expect(r.issues[2]!.message).toBe('类别「公共卫生」不在“分类”中，是否要写「公共卫生服务」？');
    expect(r.issues[3]!.message).toBe('写了“分类”，「财务管理」却没有写“类别”');
  });
  it('考核 item 计算公式 as a list → schema type; 结果运用 as text passes, a grade map still warns on a grade that does not exist', () => {
    const r = validate(`${HEAD}考核:\n  指标:\n    - 指标: 高血压患者规范管理率\n      目标: 不低于65%\n      分值: 100\n      计算公式: [a, b]\n`);
    expect(at(r.issues)).toEqual([['PLAN_SCHEMA_TYPE', 10, 13]]);
    const t = validate(`${HEAD}${ASSESS}  结果运用: 考核结果与绩效工资挂钩。\n`);
    expect(t.issues).toEqual([]);
    const g = validate(`${HEAD}${ASSESS}  结果运用: {良: 表扬}\n`);
    expect(at(g.issues)).toEqual([['PLAN_ASSESS_CONSEQUENCE', 10, 10]]);
  });
});

describe('plan init words the unit by its kind', () => {
  const init = (unit: string, kind: string) => {
    const f = path.join(tempDir(), 'p.yaml');
    expect(gongwei(['plan', 'init', f, '--kind', kind, '--unit', unit, '--year', '2026']).code).toBe(0);
    expect(gongwei(['plan', 'validate', f]).code).toBe(0);
    return readFileSync(f, 'utf8');
  };
  it('a 社区卫生服务中心: 本中心 / 中心办公室 / 全中心, never 我院 / 院办 / 全院', () => {
    for (const kind of ['年度工作计划', '实施方案', '考核方案']) {
      const text = init('云栖社区卫生服务中心', kind);
      expect(text).toContain('编制部门: 中心办公室');
      expect(text).toContain('结合本中心实际');
      expect(text).not.toMatch(/我院|院办|全院/);
    }
    expect(init('云栖社区卫生服务中心', '年度工作计划')).toContain('全中心职工');
  });
  it('a 卫生院 keeps 我院 / 院办 / 全院; a 妇幼保健所 writes 本所 / 所办公室', () => {
    const t = init('青石镇卫生院', '年度工作计划');
    expect(t).toContain('编制部门: 院办');
    expect(t).toContain('结合我院实际');
    expect(t).toContain('全院职工');
    const s = init('青石县妇幼保健所', '实施方案');
    expect(s).toContain('编制部门: 所办公室');
    expect(s).toContain('结合本所实际');
  });
});
