// 绩效考核 scoring: full marks when met, proportional otherwise, ≤ targets inverted, no data = 0, grades.
import { describe, expect, it } from 'vitest';
import { assess, gradeFor, scoreItem, DEFAULT_GRADES } from '../../src/assessment/score.js';
import type { IndicatorResult } from '../../src/indicators/types.js';
import type { Target } from '../../src/catalog/target.js';

const period = { label: '2025', start: '2025-01-01', end: '2025-12-31' };
function res(id: string, value: number | null, extra: Partial<IndicatorResult> = {}): IndicatorResult {
  return { id, name: id, unit: '%', kind: 'rate', factor: 100, period, group: null, numerator: value === null ? null : value, denominator: value === null ? null : 100, value, ...extra };
}
const ge = (v: number): Target => ({ kind: 'threshold', op: '>=', value: v, unit: '%', text: `不低于${v}%` });
const le = (v: number): Target => ({ kind: 'threshold', op: '<=', value: v, unit: '%', text: `${v}%以下` });

describe('scoreItem', () => {
  const prop = { kind: 'proportional' } as const;
  it('full marks when met', () => {
    expect(scoreItem({ indicatorId: 'a', name: 'a', weight: 10, target: ge(65) }, res('a', 67.2), prop)).toMatchObject({ state: '达标', score: 10 });
  });
  it('proportional when not met: value/target × weight', () => {
    expect(scoreItem({ indicatorId: 'a', name: 'a', weight: 10, target: ge(65) }, res('a', 58.5), prop).score).toBe(9);
  });
  it('for ≤ targets uses target/value', () => {
    expect(scoreItem({ indicatorId: 'a', name: 'a', weight: 20, target: le(5) }, res('a', 8), prop).score).toBe(12.5);
    expect(scoreItem({ indicatorId: 'a', name: 'a', weight: 20, target: le(5) }, res('a', 4), prop).score).toBe(20);
  });
  it('never exceeds the weight, never below 0', () => {
    const r = scoreItem({ indicatorId: 'a', name: 'a', weight: 5, target: ge(90) }, res('a', 0), prop);
    expect(r.score).toBe(0);
  });
  it('no data scores 0 and says why', () => {
    const r = scoreItem({ indicatorId: 'a', name: 'a', weight: 10, target: ge(65) }, res('a', null, { reason: '缺少2025年人口数据' }), prop);
    expect(r).toMatchObject({ state: '无数据', score: 0 });
    expect(r.note).toContain('缺少2025年人口数据');
    expect(scoreItem({ indicatorId: 'a', name: 'a', weight: 10, target: ge(65) }, undefined, prop).state).toBe('无数据');
  });
  it('all-or-nothing and deduct rules', () => {
    expect(scoreItem({ indicatorId: 'a', name: 'a', weight: 10, target: ge(65), rule: { kind: 'all-or-nothing' } }, res('a', 64.9), prop).score).toBe(0);
    expect(scoreItem({ indicatorId: 'a', name: 'a', weight: 10, target: ge(65), rule: { kind: 'deduct', perPoint: 1 } }, res('a', 62), prop).score).toBe(7);
    expect(scoreItem({ indicatorId: 'a', name: 'a', weight: 10, target: ge(65), rule: { kind: 'deduct', perPoint: 1 } }, res('a', 40), prop).score).toBe(0);
  });
  it('manual items', () => {
    expect(scoreItem({ name: '综合管理', weight: 20, manualScore: 18 }, undefined, prop)).toMatchObject({ state: '人工评分', score: 18 });
    expect(scoreItem({ name: '综合管理', weight: 20, manualScore: 25 }, undefined, prop).score).toBe(20);
    expect(scoreItem({ name: '综合管理', weight: 20 }, undefined, prop)).toMatchObject({ state: '待评分', score: 0 });
  });
  it('= 0 targets (为零)', () => {
    const zero: Target = { kind: 'threshold', op: '=', value: 0, unit: '次', text: '为零' };
    expect(scoreItem({ indicatorId: 'a', name: 'a', weight: 5, target: zero }, res('a', 0), prop).score).toBe(5);
    expect(scoreItem({ indicatorId: 'a', name: 'a', weight: 5, target: zero }, res('a', 2), prop).score).toBe(0);
  });
});

describe('grades', () => {
  it.each([[90, '优秀'], [89.99, '合格'], [75, '合格'], [74.9, '基本合格'], [65, '基本合格'], [64.99, '不合格'], [0, '不合格'], [100, '优秀']])('%s → %s', (t, g) => {
    expect(gradeFor(t, DEFAULT_GRADES)).toBe(g);
  });
  it('uses the plan thresholds when given', () => {
    expect(gradeFor(85, [{ grade: '好', min: 80 }, { grade: '差', min: 0 }])).toBe('好');
  });
});

describe('assess', () => {
  it('totals the points of a 100-point scheme', () => {
    const results = [res('a', 70), res('b', 30), res('a', 10, { group: '青石村' })];
    const r = assess({ items: [
      { indicatorId: 'a', name: 'a', weight: 60, target: ge(65) },
      { indicatorId: 'b', name: 'b', weight: 40, target: ge(60) },
    ] }, results, '2025');
    expect(r.rawScore).toBe(80);
    expect(r.weightSum).toBe(100);
    expect(r.total).toBe(80);
    expect(r.grade).toBe('合格');
    expect(r.notes).toEqual([]);
  });
  it.each([50, 102])('refuses a scheme of %i points instead of rescaling it (PLAN_ASSESS_TOTAL)', (second) => {
    const items = [
      { indicatorId: 'a', name: 'a', weight: second - 30, target: ge(65) },
      { indicatorId: 'b', name: 'b', weight: 30, target: ge(60) },
    ];
    expect(() => assess({ items }, [res('a', 70), res('b', 30)], '2025')).toThrowError(expect.objectContaining({ code: 'PLAN_ASSESS_TOTAL' }));
  });
  it('uses the whole-unit result, not a village row', () => {
    const r = assess({ items: [{ indicatorId: 'a', name: 'a', weight: 100, target: ge(65) }] }, [res('a', 10, { group: '青石村' }), res('a', 90)], '2025');
    expect(r.total).toBe(100);
    expect(r.grade).toBe('优秀');
  });
  it('reports the consequence of the grade', () => {
    const r = assess({ items: [{ indicatorId: 'a', name: 'a', weight: 100, target: ge(65) }], consequences: { 不合格: '扣减50%' } }, [], '2025');
    expect(r.grade).toBe('不合格');
    expect(r.consequence).toBe('扣减50%');
    expect(r.items[0]!.state).toBe('无数据');
  });
});
