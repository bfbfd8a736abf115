// A target means what its author meant: a rate's target without % is an error proposing the percent (0.95 → 95%),
// counts keep their unit, 自定义 rates are held to the same rules, and 关联指标 may name the plan's own 自定义 indicator.
import { describe, expect, it } from 'vitest';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { withUnit } from '../../src/plan/target-check.js';
import { validatePlanFile } from '../../src/plan/validate.js';
import { gongwei, tempFile } from './helpers.js';

const HEAD = '文档类型: 年度工作计划\n单位: 青石镇卫生院\n年度: 2025\n';
const catalog = loadIndicatorCatalog();
const check = (text: string) => validatePlanFile(tempFile('plan.yaml', text), catalog).issues;
const goal = (entry: string) => `${HEAD}工作目标:\n  指标:\n    - ${entry}\n`;
/** The value after 目标: in a hint (写成“目标: 95%”). */
const proposed = (hint = '') => /目标: ([^”]+)”/.exec(hint)?.[1];

describe('a rate target without %', () => {
  const cases: Array<[string, string]> = [
    ['0.95', '95%'],
    ['95', '95%'],
    ['0.905', '90.5%'],
    ['≥95', '≥95%'],
    ['98以上', '98%以上'],
    ['不低于95', '不低于95%'],
    ['力争达到0.9', '力争达到90%'],
    ['≥0.95', '≥95%'],
  ];
  for (const [written, meant] of cases) {
    it(`目标: ${written} → PLAN_TARGET_NO_UNIT at the target, proposing ${meant}; the proposal validates`, () => {
      const text = goal(`{指标: 高血压患者规范管理率, 目标: ${written}}`);
      const issues = check(text);
      expect(issues.map((i) => [i.code, i.severity, i.line, i.col])).toEqual([['PLAN_TARGET_NO_UNIT', 'error', 6, 28]]);
      expect(issues[0]!.message).toContain(meant);
      const fix = proposed(issues[0]!.hint)!;
      expect(fix).toBe(meant);
      expect(check(goal(`{指标: 高血压患者规范管理率, 目标: ${fix}}`))).toEqual([]);
    });
  }
  it('in block style and in 考核 too; 1 proposes 100% and mentions 1%', () => {
    const block = check(`${HEAD}工作目标:\n  指标:\n    - 指标: 老年人健康管理率\n      目标: 1\n`);
    expect(block.map((i) => [i.code, i.line, i.col])).toEqual([['PLAN_TARGET_NO_UNIT', 7, 11]]);
    expect(block[0]!.hint).toContain('100%');
    expect(block[0]!.hint).toContain('1%');
    const scheme = check('文档类型: 考核方案\n单位: 青石镇卫生院\n年度: 2025\n考核:\n  指标:\n    - {指标: 建证率, 目标: 0.95, 分值: 60}\n    - {指标: 早孕建册率, 目标: 不低于85%, 分值: 40}\n');
    expect(scheme.map((i) => [i.code, i.line, i.col])).toEqual([['PLAN_TARGET_NO_UNIT', 6, 21]]);
  });
  it('an unknown indicator’s target is read all the same: one pass shows both slips', () => {
    expect(check(goal('{指标: A流脑接种率, 目标: 98}')).map((i) => [i.code, i.line, i.col])).toEqual([['PLAN_UNKNOWN_INDICATOR', 6, 12], ['PLAN_TARGET_NO_UNIT', 6, 24]]);
    const scheme = check('文档类型: 考核方案\n单位: 青石镇卫生院\n年度: 2025\n考核:\n  指标:\n    - {指标: 婚检率, 目标: 0.8, 分值: 100}\n');
    expect(scheme.map((i) => [i.code, i.line, i.col])).toEqual([['PLAN_UNKNOWN_INDICATOR', 6, 12], ['PLAN_TARGET_NO_UNIT', 6, 21]]);
  });
  it('a value no percent can be (150) gets no proposal but still the error', () => {
    const [i] = check(goal('{指标: 建证率, 目标: 150}'));
    expect(i).toMatchObject({ code: 'PLAN_TARGET_NO_UNIT', line: 6, col: 21 });
    expect(proposed(i!.hint)).toBeUndefined();
  });
  it('a rate target of zero needs no unit (为零, 0); trends and growth carry none', () => {
    expect(check(goal('{指标: 百白破疫苗脱漏率, 目标: 为零}'))).toEqual([]);
    expect(check(goal('{指标: 百白破疫苗脱漏率, 目标: 0}'))).toEqual([]);
    expect(check(goal('{指标: 建证率, 目标: 逐年上升, 基线: 92.5}'))).toEqual([]);
    expect(check(goal('{指标: 建证率, 目标: 提高2个百分点, 基线: 92.5}'))).toEqual([]);
  });
  it('counts keep their unit: 12, 不少于12 and 12次 are all 12 lectures', () => {
    for (const t of ['12', '不少于12', '不少于12次', '12次以上']) expect(check(goal(`{指标: 健康知识讲座次数, 目标: ${t}}`)), t).toEqual([]);
    expect(check(goal('{指标: 健康知识讲座次数, 目标: 95%}')).map((i) => i.code)).toEqual(['PLAN_TARGET_UNIT']);
  });
  it('withUnit keeps the author’s words and only adds the unit', () => {
    expect(withUnit('确保全年不低于 0.98', '%')).toBe('确保全年不低于98%');
    expect(withUnit(0.95, '%')).toBe('95%');
    expect(withUnit('5', '‰')).toBe('5‰');
    expect(withUnit('120', '%')).toBeUndefined();
  });
});

describe('自定义 indicators', () => {
  it('a 自定义 rate (…率) without a unit is an error proposing %, ‰ or /10万', () => {
    const issues = check(goal('{指标: 住院分娩率, 目标: 0.98, 自定义: true}'));
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([['PLAN_TARGET_NO_UNIT', 6, 23]]);
    expect(issues[0]!.message).toContain('98%');
    expect(issues[0]!.hint).toMatch(/‰.*\/10万/);
  });
  it('a 自定义 percent over 100 is out of range; ≥100% warns as for catalogue rates; ‰ and /10万 pass', () => {
    expect(check(goal('{指标: 住院分娩率, 目标: 不低于120%, 自定义: true}')).map((i) => [i.code, i.severity, i.col])).toEqual([['PLAN_TARGET_RANGE', 'error', 23]]);
    expect(check(goal('{指标: 住院分娩率, 目标: ≥100%, 自定义: true}')).map((i) => [i.code, i.severity])).toEqual([['PLAN_TARGET_100', 'warning']]);
    expect(check(goal('{指标: 婴儿死亡率, 目标: 控制在1200‰以下, 自定义: true}')).map((i) => i.code)).toEqual(['PLAN_TARGET_RANGE']);
    expect(check(goal('{指标: 孕产妇死亡率, 目标: 控制在30/10万以下, 自定义: true}'))).toEqual([]);
  });
  it('a 自定义 count keeps its own unit', () => {
    expect(check(goal('{指标: 门诊人次, 目标: 不少于21000人次, 自定义: true}'))).toEqual([]);
    expect(check(goal('{指标: 家庭医生签约人数, 目标: 3000, 自定义: true}'))).toEqual([]);
  });
  it('关联指标 may name the plan’s own 自定义 indicator (any spacing); an unknown one is still an error', () => {
    const plan = `${HEAD}工作目标:\n  指标:\n    - {指标: 住院分娩率, 目标: 不低于98%, 自定义: true}\n重点工作:\n  - 标题: 妇幼健康\n    任务:\n      - 内容: 每月核对分娩登记。\n        关联指标: [住院分娩率, 早孕建册率]\n      - 内容: 开展孕产妇随访。\n        关联指标: [' 住院 分娩率 ', 孕产妇死亡率]\n`;
    expect(check(plan).map((i) => [i.code, i.line, i.col])).toEqual([['PLAN_UNKNOWN_INDICATOR', 13, 28]]);
  });
});

describe('the real binary', () => {
  it('a plan with 目标: 0.95 fails validation (exit 1) with the proposal in the output', () => {
    const r = gongwei(['plan', 'validate', tempFile('plan.yaml', goal('{指标: 高血压患者规范管理率, 目标: 0.95}'))]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/6:28 .*95%.*PLAN_TARGET_NO_UNIT/);
  });
});
