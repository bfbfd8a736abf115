// Warning rules (≥100%, empty section) at their positions: exit 0 by default, 1 with --strict; schema type message never empty.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { validatePlanFile } from '../../src/plan/validate.js';
import { gongwei, root, tempFile } from './helpers.js';

const fixture = 'test/fixtures/plan/warnings/warnings.yaml';

describe('plan validate warnings', () => {
  it('reports PLAN_TARGET_100 at 7:24 and PLAN_EMPTY_SECTION at 12:9 as warnings', () => {
    const r = validatePlanFile(path.join(root, fixture), loadIndicatorCatalog());
    const at = (c: string) => r.issues.filter((i) => i.code === c).map((i) => [i.severity, i.line, i.col]);
    expect(at('PLAN_TARGET_100')).toEqual([['warning', 7, 24]]);
    expect(at('PLAN_EMPTY_SECTION')).toEqual([['warning', 12, 9]]);
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });
  it('exit 0 without --strict, 1 with --strict', () => {
    expect(gongwei(['plan', 'validate', fixture]).code).toBe(0);
    expect(gongwei(['plan', 'validate', '--strict', fixture]).code).toBe(1);
  });
  it('a value YAML retypes (007 → 7) where text is wanted: one error at its position that says what YAML did', () => {
    const f = tempFile('retyped.yaml', '文档类型: 年度工作计划\n单位: 青石镇卫生院\n年度: 2025\n编制部门: 007\n');
    const r = validatePlanFile(f, loadIndicatorCatalog());
    expect(r.issues.map((i) => [i.code, i.severity, i.line, i.col])).toEqual([['PLAN_YAML_RETYPED', 'error', 4, 7]]);
    expect(r.issues[0]!.message).toContain('应为文字，但 YAML 把“007”读成了数字 7');
    expect(r.issues[0]!.hint).toContain("'007'");
  });
  it('anyOf/oneOf noise through $ref branches collapses to one issue per problem', () => {
    const f = tempFile('noise.yaml', '文档类型: 年度工作计划\n单位: 青石镇卫生院\n年度: 2025\n重点工作:\n  - 标题: 123\n    段落: 按季度督导\n  - 7\n');
    const r = validatePlanFile(f, loadIndicatorCatalog());
    expect(r.issues.map((i) => [i.code, i.line, i.col])).toEqual([
      ['PLAN_YAML_RETYPED', 5, 9],
      ['PLAN_SCHEMA_UNKNOWN_KEY', 6, 5],
      ['PLAN_SCHEMA_TYPE', 7, 5],
    ]);
  });
});
