// Domain rules at their exact line:col (placeholders, retyped values, numbering, targets, assessment), checked by hand.
import { describe, expect, it } from 'vitest';
import { loadIndicatorCatalog } from '../../src/indicators/catalog.js';
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

describe('values YAML retypes', () => {
  it('numbers where numbers are wanted are not noise (65.0, 018, 1e4)', () => {
    const issues = issuesOf('基本情况:\n  辖区人口: 1e4\n  职工人数: 018\n工作目标:\n  指标:\n    - {指标: 高血压患者规范管理率, 目标: 65.0, 基线: 60.50}\n');
    expect(issues).toEqual([]);
  });
  it('a key YAML retypes is a warning at the key', () => {
    const issues = issuesOf('考核:\n  指标:\n    - {指标: 建证率, 目标: 不低于95%, 分值: 100}\n  结果运用:\n    001: 通报\n');
    expect(issues.map((i) => [i.code, i.severity, i.line, i.col])).toEqual([['PLAN_YAML_RETYPED', 'warning', 8, 5]]);
  });
  it('true / 1.10 / ~ where text is wanted: an error that says what YAML read', () => {
    const issues = issuesOf('主送: true\n前言: 1.10\n结束语: ~\n');
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([['PLAN_YAML_RETYPED', 4, 5], ['PLAN_YAML_RETYPED', 5, 5], ['PLAN_SCHEMA_EMPTY', 6, 1]]);
    expect(issues[1]!.message).toContain('读成了数字 1.1');
  });
});
