// The `records` entries (health records) against the SQL they replaced, on generated rows full of edge cases, for
// many periods and groupings; the sums per creation date follow every write.
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db.js';
import { computeIndicators } from '../../src/indicators/compute.js';
import { refreshIndicatorFacts } from '../../src/indicators/indicator-facts.js';
import { UNKNOWN_GROUP } from '../../src/indicators/types.js';
import { seeded } from './generated.js';
import { freshDb, insert } from './helpers.js';

const active = "created_date <= :end AND coalesce(status, '') NOT IN ('死亡', '迁出')";
/** The SQL of each entry before it became `kind: records` (catalogue of 2026-12-02). */
const SQL: Record<string, string> = {
  'health-record-rate': `SELECT village, doctor, 1 AS num, NULL AS den FROM residents WHERE ${active}`,
  'e-health-record-rate': `SELECT village, doctor, 1 AS num, NULL AS den FROM residents WHERE ${active} AND is_electronic IS NOT 0`,
  'health-record-usage-rate': `SELECT village, doctor, (last_service_date BETWEEN :start AND :end) AS num, 1 AS den FROM residents WHERE ${active}`,
};

const { rnd, pick, day } = seeded(5);
const date = (from: number, to: number) => {
  const d = day(from, to);
  const r = rnd();
  return r < 0.04 ? `${d} 08:00` : r < 0.06 ? d.slice(0, 7) : r < 0.07 ? `${d.slice(0, 7)}-31` : r < 0.075 ? `${d.slice(0, 5)}13-05` : r < 0.08 ? `${d.slice(0, 8)}32` : d;
};

function fill(db: Database, n: number): void {
  const rows = [];
  for (let i = 0; i < n; i++) {
    rows.push({
      record_id: `R${i}`,
      village: pick(['青石村', '东溪村', null, '', '南岭村']),
      doctor: pick(['张医生', '李医生', null]),
      created_date: rnd() < 0.03 ? null : date(2022, 2026),
      is_electronic: pick([1, 1, 0, null]),
      last_service_date: rnd() < 0.1 ? null : date(2023, 2026),
      status: pick(['正常', '正常', '死亡', '迁出', '', null, '暂离']),
    });
  }
  insert(db, 'residents', rows);
  insert(db, 'population', [
    { year: 2025, village: '青石村', resident_population: 300 },
    { year: 2025, village: '东溪村', resident_population: 200 },
  ]);
}

function bySql(db: Database, id: string, period: { start: string; end: string }, by: 'village' | 'doctor' | null) {
  const g = by ? `coalesce(CAST(${by} AS TEXT), '${UNKNOWN_GROUP}')` : "''";
  const rows = db.prepare(`SELECT ${g} AS g, sum(num) AS num, sum(den) AS den FROM (${SQL[id]}) GROUP BY g`).all({ start: period.start, end: period.end }) as { g: string; num: number; den: number | null }[];
  return new Map(rows.map((r) => [by ? r.g : null, r]));
}

describe('kind records = the SQL it replaced', () => {
  it.each([['read from the registers', false], ['stored as an import stores them', true]])('every entry, whole unit and each group, for years, quarters, months and ranges, by village and by doctor (facts %s)', (_how, stored) => {
    const { db } = freshDb();
    fill(db, 1500);
    if (stored) {
      refreshIndicatorFacts(db);
      expect(db.prepare("SELECT count(*) FROM derived_indicator_facts WHERE key LIKE 'followups%' OR key LIKE 'records%'").pluck().get()).toBe(4);
    }
    let compared = 0;
    for (const period of ['2025', '2025Q1', '2025Q3', '2025-02', '2025-08', '2024-11..2025-04', '2026', '2022-01', '2021']) {
      for (const by of ['village', 'doctor', null] as const) {
        const res = computeIndicators(db, { period, by, only: Object.keys(SQL) });
        for (const id of Object.keys(SQL)) {
          const want = bySql(db, id, res.period, by);
          for (const r of res.results.filter((x) => x.id === id)) {
            // The whole unit beside the groups: their sum.
            const w = by && r.group === null ? [...want.values()].reduce((a, x) => ({ g: '', num: a.num + x.num, den: (a.den ?? 0) + (x.den ?? 0) }), { g: '', num: 0, den: 0 as number | null }) : want.get(r.group);
            expect([id, period, by, r.group, r.numerator], `${id} ${period} ${by} ${r.group}`).toEqual([id, period, by, r.group, w?.num ?? 0]);
            if (id === 'health-record-usage-rate') expect(r.denominator, `${id} ${period} ${by} ${r.group}`).toBe(w?.den ?? 0);
            compared++;
          }
          for (const g of want.keys()) expect(res.results.some((r) => r.id === id && r.group === g), `${id} ${period} ${by} ${g}`).toBe(true);
        }
      }
    }
    expect(compared).toBeGreaterThan(250);
  });
  it('another connection’s writes are seen by the next computation on an open connection', () => {
    const { db, file } = freshDb();
    insert(db, 'residents', [{ record_id: 'R1', village: '青石村', created_date: '2025-01-05', last_service_date: '2025-03-01', status: '正常' }]);
    const reader = openDatabase(file, { readonly: true });
    const num = (id: string, period: string) => computeIndicators(reader, { period, only: [id] }).results[0]!.numerator;
    expect(num('health-record-usage-rate', '2025-03')).toBe(1);
    expect(num('health-record-rate', '2025-03')).toBe(1);
    db.prepare("UPDATE residents SET last_service_date = '2025-04-02', status = '迁出' WHERE record_id = 'R1'").run();
    expect(num('health-record-usage-rate', '2025-03')).toBe(0);
    expect(num('health-record-rate', '2025-03')).toBe(0);
    reader.close();
  });
});
