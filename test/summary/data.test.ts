// Summary data assembly: programme order, village tables, problems from unmet targets and data notes, no invented numbers.
import { describe, expect, it } from 'vitest';
import { buildSummaryData, programmeOf, type Phrases, type SummaryInput } from '../../src/summary/data.js';
import type { ComputeResult, IndicatorResult } from '../../src/indicators/types.js';

const period = { label: '2025', start: '2025-01-01', end: '2025-12-31' };
const phrases: Phrases = {
  value: (r) => (r.kind === 'count' ? `${r.value}${r.unit}` : `${(r.value as number).toFixed(1)}${r.unit}`),
  target: (t) => t.text,
  sentence: (r) => `${r.name}:${r.value === null ? 'none' : r.value}`,
};
function r(id: string, group: string | null, n: number | null, d: number | null, extra: Partial<IndicatorResult> = {}): IndicatorResult {
  const value = n === null || d === null || d === 0 ? null : (n / d) * 100;
  return { id, name: id, unit: '%', kind: 'rate', factor: 100, period, group, numerator: n, denominator: d, value, ...extra };
}
function input(total: ComputeResult | null, byVillage: ComputeResult | null = null): SummaryInput {
  return {
    unit: '青石镇卫生院', year: '2025', period, planTitle: '青石镇卫生院2025年工作计划', overview: ['概况'], planFacts: [],
    targets: [{ indicatorId: 'hypertension-standard-management-rate', target: { kind: 'threshold', op: '>=', value: 65, unit: '%', text: '不低于65%' }, text: '不低于65%' }],
    tasks: [{ title: '任务一', deadline: '6月底前' }], nextSteps: [], total, byVillage, population: null, date: '2025年12月31日',
  };
}

describe('buildSummaryData', () => {
  it('orders programmes officially and keeps numerator and denominator as computed', () => {
    const total: ComputeResult = { period, by: null, schedule: '2021', notes: [{ code: 'DQ_X', severity: 'warning', message: '有3条记录缺少结束日期', count: 3 }], results: [
      r('hypertension-standard-management-rate', null, 581, 1000, { status: '未达标', gap: 69, target: { kind: 'threshold', op: '>=', value: 65, unit: '%', text: '不低于65%' } }),
      r('health-record-rate', null, 9000, 10000),
      r('coverage.HepB.3', null, 99, 100),
      r('newborn-visit-rate', null, null, 0, { reason: '分母为0' }),
    ] };
    const d = buildSummaryData(input(total), phrases);
    expect(d.programmes.map((p) => p.key)).toEqual(['records', 'children', 'hypertension']);
    const ht = d.programmes[2]!.indicators[0]!;
    expect([ht.numerator, ht.denominator, ht.status, ht.gap]).toEqual(['581', '1000', '未达标', 69]);
    const nb = d.programmes[1]!.indicators[0]!;
    expect(nb.value).toBe('无数据');
    expect(nb.reason).toBe('分母为0');
    expect(d.problems.some((p) => p.includes('hypertension-standard-management-rate'))).toBe(true);
    expect(d.problems.some((p) => p.includes('有3条记录缺少结束日期'))).toBe(true);
    expect(d.nextSteps.length).toBe(1);
    expect(d.nextSteps[0]).toContain('还需规范管理69人');
    expect(d.chart?.items).toEqual([{ label: 'hypertension-standard-management-rate', value: 58.1, target: 65, met: false }]);
  });

  it('builds village tables with a 合计 row equal to the total', () => {
    const total: ComputeResult = { period, by: null, schedule: '2021', notes: [], results: [r('health-record-rate', null, 30, 40)] };
    const by: ComputeResult = { period, by: 'village', schedule: '2021', notes: [], results: [r('health-record-rate', '东溪村', 10, 20), r('health-record-rate', '青石村', 20, 20)] };
    const d = buildSummaryData(input(total, by), phrases);
    const t = d.programmes[0]!.villageTables[0]!;
    expect(t.rows.map((x) => x.village)).toEqual(['东溪村', '青石村', '合计']);
    expect(t.rows[2]!.cells[0]).toBe('75.0%（30/40）');
  });

  it('says so when there is no database or no data', () => {
    const none = buildSummaryData({ ...input(null), dataProblem: '数据库不存在' }, phrases);
    expect(none.hasData).toBe(false);
    // The document says what is missing in its own words; the path and the command to run are for the command line.
    expect(none.dataProblem).toBe('未找到登记表数据库，本总结中的各项指标暂无数据。');
    expect(none.programmes).toEqual([]);
    const empty = buildSummaryData(input({ period, by: null, schedule: '2021', notes: [], results: [r('health-record-rate', null, null, null, { reason: '缺少2025年人口数据' })] }), phrases);
    expect(empty.hasData).toBe(false);
    expect(empty.dataProblem).toBeTruthy();
  });

  it('maps indicator ids to programmes', () => {
    expect(programmeOf('timely-coverage.MMR.1').key).toBe('immunization');
    expect(programmeOf('smi-stable-rate').key).toBe('smi');
    expect(programmeOf('unknown-x').key).toBe('other');
  });
});
