// The plan as templates see it: sections and tasks, 责任分工/完成时限 tables, the 考核 scheme and its grade wording.
import { describe, expect, it } from 'vitest';
import { planView } from '../../src/render/plan-view.js';
import { assessmentScheme, gradeText, parseRule } from '../../src/assessment/scheme.js';
import { DEFAULT_GRADES } from '../../src/assessment/score.js';
import type { Plan } from '../../src/plan/model.js';
import { summaryData } from '../../src/summary/data.js';

describe('planView', () => {
  it('builds titled sections, task attributes and formatted dates', () => {
    const plan: Plan = {
      文档类型: '年度工作计划', 单位: '青石镇卫生院', 年度: 2025, 发文日期: '2025-01-10',
      指导思想: '以人民健康为中心。',
      重点工作: [{ 标题: '基本公共卫生', 任务: [{ 内容: '完成高血压随访。', 责任科室: '公卫办', 完成时限: '2025-06-30' }] }],
    };
    const v = planView(plan);
    expect(v.title).toBe('青石镇卫生院2025年工作计划');
    expect(v.date).toBe('2025年1月10日');
    expect(v.sections.map((s) => s.title)).toEqual(['指导思想', '重点工作']);
    const task = v.sections[1]!.children[0]!.items[0]!;
    expect(task.text).toBe('完成高血压随访');
    expect(task.attrs).toEqual([{ label: '责任科室', value: '公卫办' }, { label: '完成时限', value: '2025年6月30日' }]);
    const period = { label: '2025', start: '2025-01-01', end: '2025-12-31' };
    const summary = summaryData(plan, { total: null, byVillage: null, population: null, period }, []);
    expect(summary.tasks).toEqual([{ title: '完成高血压随访', section: '基本公共卫生', department: '公卫办', deadline: '2025年6月30日' }]);
  });

  it('reads only what the plan format has: keys the schema rejects are not rendered', () => {
    const v = planView({ 文档类型: '年度工作计划', 单位: 'u', 年度: 2025, 重点工作: [{ 标题: 'a', 事项: ['不是计划格式的键'], tasks: ['x'] } as never] });
    expect(v.sections[0]!.children[0]!.items).toEqual([]);
  });

  it('nests headings no deeper than level 4', () => {
    const deep = { 标题: 'a', 小节: [{ 标题: 'b', 小节: [{ 标题: 'c', 小节: [{ 标题: 'd', 小节: [{ 标题: 'e' }] }] }] }] };
    const v = planView({ 文档类型: '年度工作计划', 单位: 'u', 年度: 2025, 重点工作: deep });
    let s = v.sections[0]!;
    const marks = [s.hashes];
    while (s.children[0]) {
      s = s.children[0];
      marks.push(s.hashes);
    }
    expect(marks).toEqual(['##', '###', '####', '#####', '#####']);
  });
});

describe('assessment scheme', () => {
  it('reads weights, rules, grades and consequences', () => {
    const s = assessmentScheme({
      文档类型: '考核方案', 单位: 'u', 年度: 2025,
      考核: {
        评分办法: '按比例',
        指标: [{ 指标: '居民健康档案建档率', 分值: 10, 目标: '不低于90%' }],
        其他项目: [{ 名称: '综合管理', 分值: 20, 得分: 18 }],
        等级: { 优秀: 90, 合格: 75, 基本合格: 65, 不合格: 0 },
        结果运用: { 不合格: '扣减剩余补助经费的50%' },
      },
    });
    expect(s?.items.map((i) => [i.indicatorId, i.weight, i.manualScore])).toEqual([['health-record-rate', 10, undefined], [undefined, 20, 18]]);
    expect(s?.items[0]!.target).toMatchObject({ kind: 'threshold', op: '>=', value: 90, unit: '%' });
    expect(s?.rule).toEqual({ kind: 'proportional' });
    expect(s?.grades).toEqual(DEFAULT_GRADES);
    expect(s?.consequences?.['不合格']).toContain('50%');
    expect(assessmentScheme({ 文档类型: '考核方案', 单位: 'u', 年度: 2025 })).toBeNull();
  });

  it('parses rule phrasings', () => {
    expect(parseRule('达标得满分，未达标不得分')).toEqual({ kind: 'all-or-nothing' });
    expect(parseRule('每低1个百分点扣0.5分')).toEqual({ kind: 'deduct', perPoint: 0.5 });
    expect(parseRule('')).toBeUndefined();
  });

  it('words the default grades as the seeds do', () => {
    expect(gradeText(DEFAULT_GRADES)).toBe('考核实行百分制，90分（含）以上为优秀，75分（含）至90分为合格，65分（含）至75分为基本合格，65分以下为不合格。');
  });
});
