// A new indicator is data only: one YAML file in a temporary catalogue (no TypeScript) is validated in a plan,
// computed, listed in the summary under its own programme with its gap words, and gives its own gap list.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gongwei, tempDir } from '../plan/helpers.js';
import { freshDb, insert } from './helpers.js';

const BOOKING = `# 指标：孕产妇建册率（自定义，只用已有的列）
id: maternal-booking-rate
name: 孕产妇建册率
aliases: [孕产妇建卡率]
domain: 孕产妇健康
unit: '%'
kind: rate
register: maternal
numerator: 统计期间内分娩、有建册日期的孕产妇数
denominator: 统计期间内分娩的孕产妇数
gapVerb: 补建册
gapReason: 未建册
compute:
  kind: sql
  sql: |
    SELECT village, doctor, booking_date IS NOT NULL AS num, 1 AS den
    FROM maternal WHERE delivery_date BETWEEN :start AND :end
  gaps: |
    SELECT village, doctor, mother_id AS person_id, name,
      '分娩' || delivery_date || '，没有建册日期' AS detail, delivery_date AS sort_date
    FROM maternal WHERE delivery_date BETWEEN :start AND :end AND booking_date IS NULL
`;

// A programme the built-in catalogue does not have: it gets a section of its own, titled by its name.
const SIGNING = `id: family-doctor-signing-count
name: 家庭医生签约随访人次
domain: 家庭医生签约服务
unit: 次
kind: count
register: hypertension_followups
numerator: 统计期间内的随访人次
compute:
  kind: sql
  sql: |
    SELECT NULL AS village, NULL AS doctor, 1 AS num, NULL AS den
    FROM hypertension_followups WHERE followup_date BETWEEN :start AND :end
`;

const PLAN = `文档类型: 年度工作计划
单位: 青石镇卫生院
年度: 2025
工作目标:
  总体目标: 做好孕产妇健康管理。
  指标:
    - {指标: 孕产妇建册率, 目标: 不低于95%}
`;

function setup() {
  const dir = tempDir('gw-data-only-');
  const catalog = path.join(dir, 'catalog');
  writeFileSync(path.join(dir, 'plan.yaml'), PLAN);
  mkdirSync(catalog);
  writeFileSync(path.join(catalog, 'maternal-booking-rate.yaml'), BOOKING);
  writeFileSync(path.join(catalog, 'family-doctor-signing-count.yaml'), SIGNING);
  const { db, file } = freshDb();
  insert(db, 'maternal', [
    { mother_id: 'M1', name: '王芳', village: '青石村', doctor: '李医生', delivery_date: '2025-03-01', booking_date: '2024-07-01' },
    { mother_id: 'M2', name: '赵敏', village: '青石村', doctor: '李医生', delivery_date: '2025-05-01', booking_date: null },
    { mother_id: 'M3', name: '孙丽', village: '东溪村', doctor: '王医生', delivery_date: '2025-06-01', booking_date: null },
    { mother_id: 'M4', name: '周洁', village: '东溪村', doctor: '王医生', delivery_date: '2025-08-01', booking_date: '2025-01-10' },
  ]);
  insert(db, 'population', [{ year: 2025, village: '青石村', resident_population: 100 }, { year: 2025, village: '东溪村', resident_population: 100 }]);
  insert(db, 'hypertension_followups', [{ patient_id: 'H1', followup_date: '2025-04-01' }, { patient_id: 'H1', followup_date: '2025-07-01' }]);
  db.close();
  return { dir, catalog, plan: path.join(dir, 'plan.yaml'), db: file };
}

describe('an indicator added as data only (a temporary --catalog directory)', () => {
  it('is accepted in a plan, computed against its target, grouped under its programme in the summary with its gap verb, and lists its people with its own reason', () => {
    const t = setup();
    // The plan may target it once the catalogue is given (and not without it).
    expect(gongwei(['plan', 'validate', t.plan]).stdout).toContain('PLAN_UNKNOWN_INDICATOR');
    const v = gongwei(['plan', 'validate', t.plan, '--catalog', t.catalog]);
    expect(v.code, v.stdout + v.stderr).toBe(0);

    const c = gongwei(['indicators', 'compute', '--db', t.db, '--period', '2025', '--catalog', t.catalog, '--plan', t.plan, '--only', '孕产妇建册率', '-f', 'json']);
    expect(c.code, c.stderr).toBe(0);
    expect(JSON.parse(c.stdout).results[0]).toMatchObject({ id: 'maternal-booking-rate', numerator: 2, denominator: 4, value: 50, status: '未达标', gap: 2, gapUnit: '人' });

    const out = path.join(t.dir, '总结.md');
    const r = gongwei(['plan', 'render', t.plan, '--summary', '--db', t.db, '--period', '2025', '--catalog', t.catalog, '-f', 'md', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    const section = (title: string) => {
      const at = md.search(new RegExp(`^#+ .*${title}$`, 'm'));
      expect(at, title).toBeGreaterThan(0);
      const rest = md.slice(at);
      const body = rest.indexOf('\n') + 1;
      const next = rest.slice(body).search(/^#{1,3} /m);
      return next < 0 ? rest : rest.slice(0, body + next);
    };
    // Under 孕产妇健康管理 (the title catalog/domains.yaml gives its domain), with the entry's gap verb.
    expect(section('孕产妇健康管理')).toContain('孕产妇建册率为50.0%，低于目标45.0个百分点，还需补建册2人。');
    // A programme only the custom entry names: a section of its own.
    expect(section('家庭医生签约服务')).toContain('家庭医生签约随访人次为2次。');
    expect(md).not.toContain('其他指标');

    const g = gongwei(['indicators', 'gaps', '孕产妇建册率', '--db', t.db, '--period', '2025', '--catalog', t.catalog, '-f', 'csv']);
    expect(g.code, g.stderr).toBe(0);
    const lines = g.stdout.replace(/^\ufeff/, '').trim().split(/\r\n/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).concat(l.split(',').slice(4)))).toEqual([
      ['东溪村', '王医生', 'M3', '未建册', '分娩2025-06-01，没有建册日期'],
      ['青石村', '李医生', 'M2', '未建册', '分娩2025-05-01，没有建册日期'],
    ]);
  }, 120_000);
});
