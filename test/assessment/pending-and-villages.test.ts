// 暂不评定 while hand-scored items or 自定义 values are missing; scores from the values file; one result per village, ranked.
import { describe, expect, it } from 'vitest';
import { assess, rankResults, GRADE_PENDING, type AssessScheme } from '../../src/assessment/score.js';
import { subjectOf, subjectWords } from '../../src/assessment/scheme.js';
import type { IndicatorResult } from '../../src/indicators/types.js';
import type { Target } from '../../src/catalog/target.js';

const period = { label: '2025', start: '2025-01-01', end: '2025-12-31' };
const ge = (v: number): Target => ({ kind: 'threshold', op: '>=', value: v, unit: '%', text: `不低于${v}%` });
const res = (id: string, group: string | null, value: number | null, extra: Partial<IndicatorResult> = {}): IndicatorResult =>
  ({ id, name: id, unit: '%', kind: 'rate', factor: 100, period, group, numerator: value, denominator: value === null ? null : 100, value, ...extra });
const scheme: AssessScheme = {
  items: [
    { indicatorId: 'a', name: '甲率', weight: 60, target: ge(80) },
    { indicatorId: 'custom:住院分娩率', name: '住院分娩率', weight: 20, target: ge(98) },
    { name: '资料管理', weight: 20 },
  ],
  grades: [{ grade: '优秀', min: 90 }, { grade: '合格', min: 60 }, { grade: '不合格', min: 0 }],
  consequences: { 不合格: '扣减补助' },
};

describe('暂不评定', () => {
  it('a missing hand score or 自定义 value gives 暂不评定 with what is missing, not 不合格', () => {
    const r = assess(scheme, [res('a', null, 40), res('custom:住院分娩率', null, null, { status: '需人工填报', custom: true })], '2025');
    expect(r.total).toBe(30);
    expect(r.grade).toBe(GRADE_PENDING);
    expect(r.missing).toEqual(['住院分娩率', '资料管理']);
    expect(r.consequence).toBeUndefined();
    expect(r.items.map((i) => i.state)).toEqual(['未达标', '待填报', '待评分']);
    expect(r.notes.join()).toContain('另有40分待评');
  });
  it('with the value and the score supplied, the grade is given, the source carried', () => {
    const r = assess(
      scheme,
      [res('a', null, 40), res('custom:住院分娩率', null, 99.2, { status: '达标', custom: true, manual: { source: '妇幼年报', at: 'v.yaml:1' } })],
      '2025',
      { scores: new Map([['资料管理', { score: 5, source: '现场检查' }]]) },
    );
    expect(r.total).toBe(30 + 20 + 5);
    expect(r.grade).toBe('不合格');
    expect(r.consequence).toBe('扣减补助');
    expect(r.items[1]).toMatchObject({ state: '达标', source: '妇幼年报' });
    expect(r.items[1]!.note).toContain('人工填报，数据来源：妇幼年报');
    expect(r.items[2]).toMatchObject({ state: '人工评分', score: 5, source: '现场检查' });
  });
});

describe('by village', () => {
  const results = [
    res('a', null, 70), res('a', '东村', 90), res('a', '西村', 60), res('a', '南村', 90),
    ...['东村', '西村', '南村'].map((g) => res('custom:住院分娩率', g, 100, { status: '达标', custom: true, manual: { source: '年报', at: 'x' } })),
  ];
  const scores = (s: number) => new Map([['资料管理', { score: s, source: '检查' }]]);
  it('each village is scored from its own results; a plan 得分 is the unit’s only', () => {
    const withPlanScore: AssessScheme = { ...scheme, items: scheme.items.map((i) => (i.name === '资料管理' ? { ...i, manualScore: 20 } : i)) };
    const east = assess(withPlanScore, results, '2025', { group: '东村', scores: scores(10) });
    expect(east).toMatchObject({ subject: '东村', total: 60 + 20 + 10, grade: '优秀' });
    const north = assess(withPlanScore, results, '2025', { group: '北村' });
    expect(north.grade).toBe(GRADE_PENDING);
    expect(north.items[0]!.state).toBe('无数据');
  });
  it('ranks by total, equal totals share a place, 暂不评定 last and unranked', () => {
    const r = rankResults([
      assess(scheme, results, '2025', { group: '西村', scores: scores(20) }),
      assess(scheme, results, '2025', { group: '东村', scores: scores(10) }),
      assess(scheme, results, '2025', { group: '南村', scores: scores(10) }),
      assess(scheme, results, '2025', { group: '北村' }),
    ]);
    expect(r.map((x) => [x.rank, x.result.subject, x.result.total])).toEqual([[1, '东村', 90], [1, '南村', 90], [3, '西村', 85], [null, '北村', 0]]);
  });
  it('考核对象 as written', () => {
    expect(subjectOf(undefined)).toEqual({ kind: 'unit' });
    expect(subjectOf('各村卫生室')).toEqual({ kind: 'villages' });
    expect(subjectWords(subjectOf(['公卫办', '妇幼科']), '青石镇卫生院')).toBe('公卫办、妇幼科');
    expect(subjectWords(subjectOf('本单位'), '青石镇卫生院')).toBe('青石镇卫生院');
  });
});
