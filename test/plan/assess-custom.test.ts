// A 考核 item may score the plan's own 自定义 indicator; one not declared 自定义 is still unknown. 考核对象 forms.
import { describe, expect, it } from 'vitest';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { validatePlanFile } from '../../src/plan/validate.js';
import { tempFile } from './helpers.js';

const catalog = loadIndicatorCatalog();
const plan = (goals: string, subject = '') =>
  `文档类型: 考核方案\n单位: 青石镇卫生院\n年度: 2025\n工作目标:\n  指标:\n${goals}考核:\n${subject}  指标:\n    - {指标: 高血压患者规范管理率, 目标: 不低于65%, 分值: 80}\n    - {指标: 住院分娩率, 分值: 20}\n`;
const codes = (text: string) => validatePlanFile(tempFile('p.yaml', text), catalog).issues.filter((i) => i.severity === 'error').map((i) => `${i.code}:${i.line}`);

describe('考核 of a 自定义 indicator', () => {
  it('is accepted when the plan declares it 自定义, unknown otherwise', () => {
    expect(codes(plan('    - {指标: 住院分娩率, 目标: 不低于98%, 自定义: true}\n'))).toEqual([]);
    expect(codes(plan('    - {指标: 高血压患者规范管理率, 目标: 不低于65%}\n'))).toEqual(['PLAN_UNKNOWN_INDICATOR:10']);
  });
  it('考核对象: 本单位, 各村卫生室 or a list; anything else is a schema error', () => {
    const goals = '    - {指标: 住院分娩率, 目标: 不低于98%, 自定义: true}\n';
    expect(codes(plan(goals, '  考核对象: 各村卫生室\n'))).toEqual([]);
    expect(codes(plan(goals, '  考核对象: [公卫办, 妇幼科]\n'))).toEqual([]);
    expect(codes(plan(goals, '  考核对象: 各村\n')).length).toBe(1);
  });
});
