// Target phrasing → structured targets, table-driven; deadlines.
import { describe, expect, it } from 'vitest';
import { parseDeadline } from '../../src/plan/deadline.js';
import { parseTarget } from '../../src/plan/parse-target.js';

const T = (op: string, value: number, unit: string) => ({ kind: 'threshold', op, value, unit });

describe('parseTarget', () => {
  const cases: [string | number, object][] = [
    ['不低于65%', T('>=', 65, '%')],
    ['达到95%', T('>=', 95, '%')],
    ['达95%', T('>=', 95, '%')],
    ['95%以上', T('>=', 95, '%')],
    ['保持在98%以上', T('>=', 98, '%')],
    ['不少于12次', T('>=', 12, '次')],
    ['至少4次', T('>=', 4, '次')],
    ['≥90％', T('>=', 90, '%')],
    ['>=90%', T('>=', 90, '%')],
    ['＞80％', T('>', 80, '%')],
    ['超过80%', T('>', 80, '%')],
    ['高于80%', T('>', 80, '%')],
    ['控制在30/10万以下', T('<=', 30, '/10万')],
    ['不超过5‰', T('<=', 5, '‰')],
    ['不高于5%', T('<=', 5, '%')],
    ['≤5%', T('<=', 5, '%')],
    ['控制在5%以内', T('<=', 5, '%')],
    ['低于5%', T('<', 5, '%')],
    ['不满5%', T('<', 5, '%')],
    ['< 5 %', T('<', 5, '%')],
    ['为零', T('=', 0, '')],
    ['杜绝', T('=', 0, '')],
    ['不发生', T('=', 0, '')],
    ['全覆盖', T('=', 100, '%')],
    ['100%', T('=', 100, '%')],
    ['≥100%', T('>=', 100, '%')],
    ['百分之九十'.replace('九十', '90'), T('>=', 90, '%')],
    ['3000份', T('>=', 3000, '份')],
    ['50万元', T('>=', 50, '万元')],
    [80, T('>=', 80, '')],
    ['提高5个百分点', { kind: 'points', points: 5 }],
    ['降低2个百分点', { kind: 'points', points: -2 }],
    ['增长10%', { kind: 'growth', percent: 10 }],
    ['比上年增加20%', { kind: 'growth', percent: 20 }],
    ['逐年上升', { kind: 'trend', direction: 'up' }],
    ['稳中有升', { kind: 'trend', direction: 'up' }],
    ['逐年下降', { kind: 'trend', direction: 'down' }],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)}`, () => {
      const r = parseTarget(text);
      expect('target' in r && r.target).toMatchObject(want);
    });
  }
  for (const bad of ['达到上级要求', '较好', '65%-70%', '个百分点', '']) {
    it(`rejects ${JSON.stringify(bad)} with a code`, () => {
      const r = parseTarget(bad);
      expect('error' in r && r.error.code).toMatch(/^PLAN_TARGET_/);
    });
  }
});

describe('parseDeadline (plan year 2025)', () => {
  const ok: [string, string][] = [
    ['2025-06-30', '2025-06-30'],
    ['2025年6月30日', '2025-06-30'],
    ['6月底前', '2025-06-30'],
    ['2月底前', '2025-02-28'],
    ['6月30日前', '2025-06-30'],
    ['第二季度', '2025-06-30'],
    ['第四季度末', '2025-12-31'],
    ['上半年', '2025-06-30'],
    ['年底前', '2025-12-31'],
    ['长期坚持', '2025-12-31'],
    ['十月底前', '2025-10-31'],
  ];
  for (const [text, date] of ok) {
    it(`${text} → ${date}`, () => expect(parseDeadline(text, 2025)).toMatchObject({ ok: true, date }));
  }
  it('names another year', () => expect(parseDeadline('2026年3月31日', 2025)).toMatchObject({ ok: true, year: 2026 }));
  it('impossible date', () => expect(parseDeadline('2025-02-30', 2025)).toEqual({ ok: false, reason: 'invalid-date' }));
  it('unparseable', () => expect(parseDeadline('尽快', 2025)).toEqual({ ok: false, reason: 'unparseable' }));
});

// Every phrasing of plans.md (and the variants the seeds use), full-width forms included.
describe('parseTarget: the phrasings of plans.md and the seeds', () => {
  const cases: [string, object][] = [
    // ≥ (以上 includes the bound)
    ['达到90%', T('>=', 90, '%')], ['达90％', T('>=', 90, '%')], ['90%以上', T('>=', 90, '%')], ['不低于９０％', T('>=', 90, '%')],
    ['不少于12场', T('>=', 12, '场')], ['至少3次', T('>=', 3, '次')], ['保持在95%以上', T('>=', 95, '%')], ['≥90%', T('>=', 90, '%')],
    ['＞＝90％', T('>=', 90, '%')], ['≧90%', T('>=', 90, '%')], ['达到或超过95%', T('>=', 95, '%')], ['大于等于95%', T('>=', 95, '%')],
    ['提高到90%', T('>=', 90, '%')], ['力争达到98%以上', T('>=', 98, '%')], ['确保全年不少于12次', T('>=', 12, '次')], ['不少于12次/年', T('>=', 12, '次')],
    ['达到 95 ％', T('>=', 95, '%')], ['98%及以上', T('>=', 98, '%')],
    // >
    ['超过80%', T('>', 80, '%')], ['高于80%', T('>', 80, '%')], ['>80%', T('>', 80, '%')], ['＞80％', T('>', 80, '%')],
    // ≤
    ['5%以下', T('<=', 5, '%')], ['控制在16‰以下', T('<=', 16, '‰')], ['控制在30/10万以下', T('<=', 30, '/10万')], ['不超过30/10万', T('<=', 30, '/10万')],
    ['不高于5%', T('<=', 5, '%')], ['≤5%', T('<=', 5, '%')], ['≦5%', T('<=', 5, '%')], ['降低到5%', T('<=', 5, '%')], ['小于等于5%', T('<=', 5, '%')],
    // <
    ['低于5‰', T('<', 5, '‰')], ['不满5%', T('<', 5, '%')], ['<5%', T('<', 5, '%')], ['＜5％', T('<', 5, '%')],
    // = 0
    ['为零', T('=', 0, '')], ['杜绝', T('=', 0, '')], ['不发生', T('=', 0, '')], ['确保不发生', T('=', 0, '')],
    // = 100%
    ['100%', T('=', 100, '%')], ['１００％', T('=', 100, '%')], ['全覆盖', T('=', 100, '%')], ['达到100%', T('=', 100, '%')], ['达100%', T('=', 100, '%')], ['保持100%', T('=', 100, '%')],
    ['≥100%', T('>=', 100, '%')], ['不低于100%', T('>=', 100, '%')], ['100%以上', T('>=', 100, '%')],
    // trends (with a baseline in the plan), growth, percentage points
    ['逐年上升', { kind: 'trend', direction: 'up' }], ['提高', { kind: 'trend', direction: 'up' }], ['稳中有升', { kind: 'trend', direction: 'up' }], ['稳步提高', { kind: 'trend', direction: 'up' }],
    ['增加20%', { kind: 'growth', percent: 20 }], ['增长10%', { kind: 'growth', percent: 10 }], ['比上年增长10%', { kind: 'growth', percent: 10 }],
    ['提高5个百分点', { kind: 'points', points: 5 }], ['比上年提高5个百分点', { kind: 'points', points: 5 }], ['较上年提高2个百分点', { kind: 'points', points: 2 }],
    // units
    ['12人', T('>=', 12, '人')], ['不少于4次', T('>=', 4, '次')], ['3场', T('>=', 3, '场')], ['50万元', T('>=', 50, '万元')], ['不少于3000人次', T('>=', 3000, '人次')],
  ];
  for (const [text, want] of cases) {
    it(text, () => {
      const r = parseTarget(text);
      expect('target' in r && r.target, 'error' in r ? r.error.message : '').toMatchObject(want);
    });
  }
  for (const [bad, says] of [['95%左右', '约数'], ['提高到90%左右', '约数'], ['90%-95%', '范围'], ['90%～95%', '范围'], ['较好', '无法理解']] as const) {
    it(`rejects ${bad} saying why`, () => {
      const r = parseTarget(bad);
      expect('error' in r && r.error.message).toContain(says);
    });
  }
});

describe('parseDeadline: forms from real plans (plan year 2025)', () => {
  const ok: [string, string][] = [
    ['每季度末', '2025-12-31'], ['每月底', '2025-12-31'], ['每半年', '2025-12-31'], ['年内完成', '2025-12-31'], ['全年持续开展', '2025-12-31'],
    ['1-3月', '2025-03-31'], ['3月至6月', '2025-06-30'], ['2025年3-6月', '2025-06-30'], ['第一、二季度', '2025-06-30'],
    ['二〇二五年六月底', '2025-06-30'], ['6月30号', '2025-06-30'], ['３月底前', '2025-03-31'],
  ];
  for (const [text, date] of ok) it(`${text} → ${date}`, () => expect(parseDeadline(text, 2025)).toMatchObject({ ok: true, date }));
  it('次年3月底前 is in the next year (so validation reports it outside the plan year)', () => expect(parseDeadline('次年3月底前', 2025)).toMatchObject({ ok: true, year: 2026, date: '2026-03-31' }));
  it('a holiday is not a date', () => expect(parseDeadline('国庆节前', 2025)).toEqual({ ok: false, reason: 'unparseable' }));
});
