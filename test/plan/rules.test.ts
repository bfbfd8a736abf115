// Domain rules at their exact line:col (placeholders, retyped values, numbering, targets, assessment), checked by hand.
import { describe, expect, it } from 'vitest';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { validatePlanFile } from '../../src/plan/validate.js';
import { tempFile } from './helpers.js';

const HEAD = '文档类型: 年度工作计划\n单位: 青石镇卫生院\n年度: 2025\n';
const catalog = loadIndicatorCatalog();
const issuesOf = (body: string, head = HEAD) => validatePlanFile(tempFile('plan.yaml', head + body), catalog).issues;
const at = (issues: { code: string; line?: number; col?: number }[], code: string) => issues.filter((i) => i.code === code).map((i) => [i.line, i.col]);

describe('placeholders', () => {
  it('every placeholder of a paragraph is reported at its own column', () => {
    // 前言: 今年计划开展讲座x次，建档率达到xx%。  → x次 at col 13, xx% at col 21
    const issues = issuesOf('前言: 今年计划开展讲座x次，建档率达到xx%。\n');
    expect(at(issues, 'PLAN_PLACEHOLDER')).toEqual([[4, 13], [4, 21]]);
  });
  it('in quoted and list text too, and XXX卫生院 in 单位', () => {
    const issues = issuesOf('结束语:\n  - "请于20xx年底前上报。"\n', '文档类型: 年度工作计划\n单位: XXX卫生院\n年度: 2025\n');
    expect(at(issues, 'PLAN_PLACEHOLDER')).toEqual([[2, 5], [5, 8]]);
  });
});

describe('placeholder forms from the seeds, and text that only looks like one', () => {
  const found = (text: string) => issuesOf(`前言: ${text}\n`).filter((i) => i.code === 'PLAN_PLACEHOLDER').map((i) => i.message);
  for (const t of ['xx年我院将狠抓落实', '201x年版规范', '认真贯彻党的xx届五中全会精神', '如xx、xx等村屯', '户籍人口xxxxx人', '门诊xx岁首诊患者测血压', '第x季度', '××卫生院', '张XX同志', 'xx月xx日前上报']) {
    it(`${t} has a placeholder`, () => expect(found(t).length).toBeGreaterThan(0));
  }
  for (const t of ['拍X光片检查', 'X线防护', '接种人数/应种人数×100%', '3×5个村', 'Excel表格', 'HIV检测']) {
    it(`${t} has none`, () => expect(found(t)).toEqual([]));
  }
});

describe('values YAML retypes', () => {
  it('numbers where numbers are wanted are not noise (65.0, 018, 1e4)', () => {
    const issues = issuesOf('基本情况:\n  辖区人口: 1e4\n  职工人数: 018\n工作目标:\n  指标:\n    - {指标: 健康知识讲座次数, 目标: 12.0}\n    - {指标: 高血压患者规范管理率, 目标: 逐年上升, 基线: 60.50}\n');
    expect(issues).toEqual([]);
  });
  it('a key YAML retypes is a warning at the key', () => {
    const issues = issuesOf('考核:\n  指标:\n    - {指标: 建证率, 目标: 不低于95%, 分值: 100}\n  结果运用:\n    001: 通报\n');
    expect(issues.filter((i) => i.code === 'PLAN_YAML_RETYPED').map((i) => [i.severity, i.line, i.col])).toEqual([['warning', 8, 5]]);
  });
  it('true / 1.10 / ~ where text is wanted: an error that says what YAML read', () => {
    const issues = issuesOf('主送: true\n前言: 1.10\n结束语: ~\n');
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([['PLAN_YAML_RETYPED', 4, 5], ['PLAN_YAML_RETYPED', 5, 5], ['PLAN_SCHEMA_EMPTY', 6, 1]]);
    expect(issues[1]!.message).toContain('读成了数字 1.1');
  });
});

describe('numbering typed by hand in titles', () => {
  const titled = (title: string) => issuesOf(`重点工作:\n  - 标题: ${title}\n    内容: 抓好落实。\n`).filter((i) => i.code === 'PLAN_MANUAL_NUMBERING');
  for (const t of ['一、医疗质量', '（一）医疗质量', '(一)医疗质量', '一．医疗质量', '1.医疗质量', '1、医疗质量', '1．医疗质量', '（1）医疗质量', '(1)医疗质量', '1）医疗质量', '①医疗质量', '⑴医疗质量', '㈠医疗质量', 'Ⅱ 医疗质量', '第一部分 医疗质量', '第二章 医疗质量']) {
    it(`${t} is numbering (at 5:9)`, () => expect(titled(t).map((i) => [i.line, i.col])).toEqual([[5, 9]]));
  }
  for (const t of ['三基三严训练', '落实“442”工作法', '五统一', '建立“四个机制”', '一站式服务', '3.15宣传', '一、二类疫苗管理', '120急救网络', '十四五规划', '2025年重点工作', '0～6岁儿童健康管理']) {
    it(`${t} is not numbering`, () => expect(titled(t)).toEqual([]));
  }
});

describe('targets in a plan', () => {
  const goal = (target: string, name = '建证率') => issuesOf(`工作目标:\n  指标:\n    - {指标: ${name}, 目标: ${target}}\n`);
  it('达到100% / 达100% / 100% / 全覆盖 mean 100%: no warning', () => {
    for (const t of ['达到100%', '达100%', '100%', '全覆盖', '１００％']) expect(goal(t), t).toEqual([]);
  });
  it('≥100% and 不低于100% warn (read as 100%) at the target, with a message that says so', () => {
    for (const t of ['≥100%', '不低于100%', '100%以上']) {
      const issues = goal(t);
      expect(issues.map((i) => [i.code, i.severity, i.line, i.col]), t).toEqual([['PLAN_TARGET_100', 'warning', 6, 21]]);
      expect(issues[0]!.message).toBe(`目标“${t}”按“100%”理解（比率最高为100%）`);
    }
  });
  it('>100% is an error, 105% out of range', () => {
    expect(goal("'>100%'").map((i) => [i.code, i.severity])).toEqual([['PLAN_TARGET_100', 'error']]);
    expect(goal('不低于105%').map((i) => i.code)).toEqual(['PLAN_TARGET_RANGE']);
  });
  it('an indicator outside the catalogue can be written with 自定义: true (‰, /10万 and growth targets kept structured)', () => {
    const ok = issuesOf('工作目标:\n  指标:\n    - {指标: 孕产妇死亡率, 目标: 控制在30/10万以下, 自定义: true}\n    - {指标: 婴儿死亡率, 目标: 控制在16‰以下, 自定义: true}\n    - {指标: 门诊人次, 目标: 增加20%, 基线: 21000, 自定义: true}\n');
    expect(ok).toEqual([]);
    const bad = issuesOf('工作目标:\n  指标:\n    - {指标: 孕产妇死亡率, 目标: 控制在30/10万左右, 自定义: true}\n    - {指标: 孕产妇死亡率, 目标: 为零, 自定义: true}\n    - {指标: 职工培训满意率, 目标: 达98%}\n');
    expect(bad.map((i) => [i.code, i.line, i.col])).toEqual([['PLAN_TARGET_UNPARSEABLE', 6, 24], ['PLAN_TARGET_DUPLICATE', 7, 12], ['PLAN_UNKNOWN_INDICATOR', 8, 12]]);
    expect(bad[2]!.hint).toContain('自定义: true');
  });
});

describe('assessment scheme', () => {
  const HEADK = '文档类型: 考核方案\n单位: 青石镇卫生院\n年度: 2025\n';
  const items = '  指标:\n    - {指标: 高血压患者规范管理率, 目标: 不低于65%, 分值: 60}\n    - {指标: 建证率, 目标: 不低于95%, 分值: 40}\n';
  it('an unknown 评分办法 is an error at its position', () => {
    const issues = issuesOf(`考核:\n  评分办法: 看情况打分\n${items}`, HEADK);
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([['PLAN_ASSESS_RULE', 5, 9]]);
  });
  it('grades must fall from 优秀 to 不合格; a missing 0 grade and results for a grade that does not exist warn', () => {
    const issues = issuesOf(`考核:\n${items}  等级: {优秀: 90, 合格: 95, 基本合格: 65}\n  结果运用:\n    差: 通报\n`, HEADK);
    expect(issues.map((i) => [i.code, i.severity, i.line, i.col])).toEqual([
      ['PLAN_ASSESS_GRADES', 'warning', 8, 3],
      ['PLAN_ASSESS_GRADES', 'error', 8, 20],
      ['PLAN_ASSESS_CONSEQUENCE', 'warning', 10, 5],
    ]);
  });
  it('a 考核方案 without 考核 warns', () => {
    expect(issuesOf('前言: 为做好考核工作，制定本方案。\n', HEADK).map((i) => [i.code, i.line, i.col])).toEqual([['PLAN_ASSESS_MISSING', 1, 1]]);
  });
  it('the scoring rules validation accepts are the ones plan assess reads', async () => {
    const { parseRule } = await import('../../src/assessment/scheme.js');
    const { scoringRuleKnown } = await import('../../src/plan/rules.js');
    for (const r of ['达标得满分，未达标按完成比例得分', '按比例得分', '达标得分（未达标不得分）', '未达标不得分', '每低1个百分点扣2分', '每差1个百分点扣 0.5 分', '看情况打分', '酌情扣分', '']) {
      expect(scoringRuleKnown(r), r).toBe(parseRule(r) !== undefined);
    }
  });
});

describe('a part with an opening paragraph before its sections', () => {
  const PART = '重点工作:\n  内容: 重点抓好以下几个方面的工作。\n  指标:\n    - {指标: 建证率, 目标: 不低于95%}\n  小节:\n    - 标题: 医疗质量\n      内容: 抓好“三基三严”训练。\n    - 标题: 公共卫生\n      任务:\n        - {内容: 查漏补种, 完成时限: 9月底前}\n';
  it('validates clean, and its targets are the plan\'s targets', async () => {
    expect(issuesOf(PART)).toEqual([]);
    const { planIndicatorTargets } = await import('../../src/plan/plan-targets.js');
    const { parse } = await import('yaml');
    expect(planIndicatorTargets(parse(HEAD + PART), catalog).map((t) => [t.indicatorId, t.path.join('/')])).toEqual([['vaccination-certificate-rate', '重点工作/指标/0']]);
  });
  it('its sections get the same rules (numbering, deadlines) at their positions', () => {
    const issues = issuesOf(PART.replace('标题: 公共卫生', '标题: 一、公共卫生').replace('9月底前', '2026年3月'));
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([['PLAN_MANUAL_NUMBERING', 11, 11], ['PLAN_DEADLINE_YEAR', 13, 28]]);
  });
});
