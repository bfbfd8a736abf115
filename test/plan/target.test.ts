// Target phrasing → structured targets, table-driven; deadlines.
import { describe, expect, it } from 'vitest';
import { parseDeadline } from '../../src/plan/deadline.js';
import { parseTarget } from '../../src/plan/target.js';

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
